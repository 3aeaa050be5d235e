// Initialization, forward pass and backward pass of the MLP.

#include "trainer/mlp.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "trainer/seeded_random.h"
#include "trainer/softmax_cross_entropy.h"

namespace lrsched::trainer {
namespace {

absl::Status ValidateLayerSizes(absl::Span<const int> layer_sizes) {
  if (layer_sizes.size() < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "layer_sizes needs an input size and a class count, got ",
        layer_sizes.size(), " sizes"));
  }
  for (size_t i = 0; i < layer_sizes.size(); ++i) {
    if (layer_sizes[i] < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "layer_sizes[", i, "] must be positive, got ", layer_sizes[i]));
    }
  }
  return absl::OkStatus();
}

DenseLayerParameters InitializeDenseLayer(int input_size, int output_size,
                                          std::mt19937_64& rng) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(input_size));
  DenseLayerParameters layer;
  layer.weights.resize(output_size, input_size);
  for (int row = 0; row < output_size; ++row) {
    for (int column = 0; column < input_size; ++column) {
      layer.weights(row, column) = UniformFloat(rng, -bound, bound);
    }
  }
  layer.biases.resize(output_size);
  for (int row = 0; row < output_size; ++row) {
    layer.biases(row) = UniformFloat(rng, -bound, bound);
  }
  return layer;
}

}  // namespace

absl::StatusOr<Mlp> Mlp::Create(absl::Span<const int> layer_sizes,
                                uint64_t seed) {
  const absl::Status status = ValidateLayerSizes(layer_sizes);
  if (!status.ok()) return status;

  std::mt19937_64 rng(seed);
  MlpParameters parameters;
  for (size_t i = 0; i + 1 < layer_sizes.size(); ++i) {
    parameters.push_back(
        InitializeDenseLayer(layer_sizes[i], layer_sizes[i + 1], rng));
  }
  return Mlp(std::vector<int>(layer_sizes.begin(), layer_sizes.end()),
             std::move(parameters));
}

int64_t Mlp::ParameterCount() const {
  int64_t count = 0;
  for (const DenseLayerParameters& layer : parameters_) {
    count += layer.weights.size() + layer.biases.size();
  }
  return count;
}

absl::Status Mlp::Forward(const Eigen::Ref<const Eigen::MatrixXf>& inputs,
                          MlpWorkspace& workspace) const {
  if (inputs.rows() != input_size() || inputs.cols() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "inputs must be ", input_size(), " x batch with batch >= 1, got ",
        inputs.rows(), " x ", inputs.cols()));
  }

  workspace.outputs.resize(num_layers());
  for (int l = 0; l < num_layers(); ++l) {
    const DenseLayerParameters& layer = parameters_[l];
    Eigen::MatrixXf& output = workspace.outputs[l];
    // resize() keeps the buffer when the shape is unchanged.
    output.resize(layer.weights.rows(), inputs.cols());
    if (l == 0) {
      output.noalias() = layer.weights * inputs;
    } else {
      output.noalias() = layer.weights * workspace.outputs[l - 1];
    }

    // Bias and ReLU in one pass over the product.
    if (l + 1 < num_layers()) {
      output = (output.colwise() + layer.biases).cwiseMax(0.0f);
    } else {
      output.colwise() += layer.biases;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<double> Mlp::ComputeLossAndGradients(
    const Eigen::Ref<const Eigen::MatrixXf>& inputs,
    absl::Span<const int32_t> labels, MlpWorkspace& workspace,
    MlpParameters& gradients) const {
  const absl::Status status = Forward(inputs, workspace);
  if (!status.ok()) return status;

  workspace.pre_activation_gradients.resize(num_layers());
  const absl::StatusOr<double> loss = ComputeSoftmaxCrossEntropy(
      workspace.logits(), labels, &workspace.pre_activation_gradients.back());
  if (!loss.ok()) return loss.status();

  Backward(inputs, workspace, gradients);
  return *loss;
}

void Mlp::Backward(const Eigen::Ref<const Eigen::MatrixXf>& inputs,
                   MlpWorkspace& workspace, MlpParameters& gradients) const {
  gradients.resize(num_layers());
  for (int l = num_layers() - 1; l >= 0; --l) {
    const Eigen::MatrixXf& output_gradient =
        workspace.pre_activation_gradients[l];
    const Eigen::Ref<const Eigen::MatrixXf> layer_input =
        l == 0 ? inputs
               : Eigen::Ref<const Eigen::MatrixXf>(workspace.outputs[l - 1]);

    gradients[l].weights.noalias() =
        output_gradient * layer_input.transpose();
    gradients[l].biases = output_gradient.rowwise().sum();
    if (l == 0) break;

    // The input of layer l is the ReLU output of layer l - 1, which passes
    // gradient only where that output is positive.
    Eigen::MatrixXf& input_gradient = workspace.pre_activation_gradients[l - 1];
    input_gradient.noalias() =
        parameters_[l].weights.transpose() * output_gradient;
    input_gradient =
        (layer_input.array() > 0.0f).select(input_gradient, 0.0f);
  }
}

}  // namespace lrsched::trainer
