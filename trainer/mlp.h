// Multilayer perceptron classifier in float32 Eigen matrices: fully connected
// layers with ReLU between them, and logits out of the last layer. The forward
// and backward passes take a batch of examples stored one per column.

#ifndef LRSCHED_TRAINER_MLP_H_
#define LRSCHED_TRAINER_MLP_H_

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace lrsched::trainer {

// Input size, hidden layer sizes and class count for Fashion-MNIST.
inline constexpr std::array<int, 4> kDefaultLayerSizes = {784, 256, 128, 10};

// Parameters of one fully connected layer, output = weights * input + biases.
struct DenseLayerParameters {
  // output_size x input_size, the layout of torch.nn.Linear.weight.
  Eigen::MatrixXf weights;
  Eigen::VectorXf biases;
};

// Parameters of every layer, input layer first. Gradients and momentum
// buffers use the same type and shapes.
using MlpParameters = std::vector<DenseLayerParameters>;

// Per-batch buffers that the forward pass fills and the backward pass reads.
// Reusing one workspace for batches of the same size avoids allocations.
struct MlpWorkspace {
  // outputs[l] is layer l's output, output_size x batch: the ReLU activations
  // for hidden layers and the logits for the last layer.
  std::vector<Eigen::MatrixXf> outputs;

  // Gradient of the loss with respect to each layer's output before ReLU.
  std::vector<Eigen::MatrixXf> pre_activation_gradients;

  // Logits of the last forward pass, num_classes x batch.
  const Eigen::MatrixXf& logits() const { return outputs.back(); }
};

class Mlp {
 public:
  // Creates a network of layer_sizes.size() - 1 dense layers. layer_sizes[0]
  // is the input size and the last entry the number of classes.
  //
  // Initialization follows torch.nn.Linear's default in PyTorch 1.13:
  // kaiming_uniform_ with a = sqrt(5) gives every weight the distribution
  // U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and biases use the same range. Values
  // come from std::mt19937_64(seed), layer by layer, weights in row-major
  // order and then biases. They follow PyTorch's distribution, not its values.
  //
  // Errors: InvalidArgument if there are fewer than 2 sizes or a size < 1.
  static absl::StatusOr<Mlp> Create(absl::Span<const int> layer_sizes,
                                    uint64_t seed);

  int input_size() const { return layer_sizes_.front(); }
  int num_classes() const { return layer_sizes_.back(); }
  int num_layers() const { return static_cast<int>(parameters_.size()); }
  const std::vector<int>& layer_sizes() const { return layer_sizes_; }

  const MlpParameters& parameters() const { return parameters_; }
  // Callers may change values but must keep every shape.
  MlpParameters& mutable_parameters() { return parameters_; }

  // Returns the number of weights and biases in all layers.
  int64_t ParameterCount() const;

  // Runs the forward pass on `inputs` (input_size x batch) and stores every
  // layer's output in `workspace`. workspace.logits() then returns the logits.
  //
  // Matrix products use Eigen's OpenMP threads (Eigen::setNbThreads).
  // Errors: InvalidArgument if `inputs` has no columns or the wrong row count.
  absl::Status Forward(const Eigen::Ref<const Eigen::MatrixXf>& inputs,
                       MlpWorkspace& workspace) const;

  // Runs the forward pass and the backward pass of the mean softmax
  // cross-entropy over the batch, and returns that mean loss. `gradients` is
  // resized to the shapes of parameters() and receives d(loss)/d(parameter).
  // At an output of exactly 0, ReLU passes no gradient, as in PyTorch.
  //
  // Errors: InvalidArgument from Forward, or if `labels` does not have one
  // entry per column with each in [0, num_classes()).
  absl::StatusOr<double> ComputeLossAndGradients(
      const Eigen::Ref<const Eigen::MatrixXf>& inputs,
      absl::Span<const int32_t> labels, MlpWorkspace& workspace,
      MlpParameters& gradients) const;

 private:
  Mlp(std::vector<int> layer_sizes, MlpParameters parameters)
      : layer_sizes_(std::move(layer_sizes)),
        parameters_(std::move(parameters)) {}

  // Fills `gradients` from workspace.pre_activation_gradients.back(), the
  // gradient with respect to the logits, and the forward pass's outputs.
  void Backward(const Eigen::Ref<const Eigen::MatrixXf>& inputs,
                MlpWorkspace& workspace, MlpParameters& gradients) const;

  std::vector<int> layer_sizes_;
  MlpParameters parameters_;
};

}  // namespace lrsched::trainer

#endif  // LRSCHED_TRAINER_MLP_H_
