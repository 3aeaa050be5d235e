// Tests of the MLP: initialization range and reproducibility, input checks,
// the softmax cross-entropy against hand-computed values, and the backward
// pass against central finite differences of the loss.

#include "trainer/mlp.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/softmax_cross_entropy.h"

namespace lrsched::trainer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Mlp, CreatesLayersInLinearLayout) {
  const absl::StatusOr<Mlp> model = Mlp::Create({784, 256, 128, 10}, 1);

  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_EQ(model->num_layers(), 3);
  EXPECT_EQ(model->input_size(), 784);
  EXPECT_EQ(model->num_classes(), 10);
  EXPECT_EQ(model->parameters()[0].weights.rows(), 256);
  EXPECT_EQ(model->parameters()[0].weights.cols(), 784);
  EXPECT_EQ(model->parameters()[2].biases.size(), 10);
  EXPECT_EQ(model->ParameterCount(),
            784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
}

TEST(Mlp, InitializationMatchesLinearDefaultRange) {
  const absl::StatusOr<Mlp> model = Mlp::Create({784, 256, 10}, 7);
  ASSERT_TRUE(model.ok()) << model.status();

  for (int l = 0; l < model->num_layers(); ++l) {
    SCOPED_TRACE(absl::StrCat("layer ", l));
    const DenseLayerParameters& layer = model->parameters()[l];
    const float bound = 1.0f / std::sqrt(static_cast<float>(layer.weights.cols()));
    EXPECT_LE(layer.weights.cwiseAbs().maxCoeff(), bound);
    EXPECT_LE(layer.biases.cwiseAbs().maxCoeff(), bound);
    // U(-b, b) has mean 0 and variance b^2 / 3.
    const double count = static_cast<double>(layer.weights.size());
    const double mean = layer.weights.cast<double>().sum() / count;
    const double variance =
        layer.weights.cast<double>().array().square().sum() / count;
    EXPECT_NEAR(mean, 0.0, 0.05 * bound);
    EXPECT_NEAR(variance, bound * bound / 3.0, 0.05 * bound * bound);
  }
}

TEST(Mlp, SameSeedGivesSameParameters) {
  const absl::StatusOr<Mlp> first = Mlp::Create({20, 8, 3}, 42);
  const absl::StatusOr<Mlp> second = Mlp::Create({20, 8, 3}, 42);
  const absl::StatusOr<Mlp> other = Mlp::Create({20, 8, 3}, 43);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE(other.ok()) << other.status();

  EXPECT_EQ(first->parameters()[0].weights, second->parameters()[0].weights);
  EXPECT_EQ(first->parameters()[1].biases, second->parameters()[1].biases);
  EXPECT_NE(first->parameters()[0].weights, other->parameters()[0].weights);
}

TEST(Mlp, InvalidLayerSizesAreRejected) {
  EXPECT_EQ(Mlp::Create({784}, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  const absl::StatusOr<Mlp> zero_width = Mlp::Create({784, 0, 10}, 1);
  EXPECT_EQ(zero_width.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(zero_width.status().message(),
              HasSubstr("layer_sizes[1] must be positive, got 0"));
}

TEST(Mlp, ForwardRejectsWrongInputShape) {
  const absl::StatusOr<Mlp> model = Mlp::Create({4, 3, 2}, 1);
  ASSERT_TRUE(model.ok()) << model.status();
  MlpWorkspace workspace;

  const absl::Status wrong_rows =
      model->Forward(Eigen::MatrixXf::Zero(5, 2), workspace);
  const absl::Status no_columns =
      model->Forward(Eigen::MatrixXf::Zero(4, 0), workspace);

  EXPECT_EQ(wrong_rows.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(wrong_rows.message(), HasSubstr("got 5 x 2"));
  EXPECT_EQ(no_columns.code(), absl::StatusCode::kInvalidArgument);
}

TEST(Mlp, ForwardComputesReluNetwork) {
  absl::StatusOr<Mlp> model = Mlp::Create({2, 2, 1}, 1);
  ASSERT_TRUE(model.ok()) << model.status();
  MlpParameters& parameters = model->mutable_parameters();
  parameters[0].weights << 1, 2, -1, 1;
  parameters[0].biases << 0.5, -4;
  parameters[1].weights << 3, 5;
  parameters[1].biases << 1;
  Eigen::MatrixXf inputs(2, 1);
  inputs << 1, 2;
  MlpWorkspace workspace;

  ASSERT_TRUE(model->Forward(inputs, workspace).ok());

  // Hidden: relu(1 + 4 + 0.5) = 5.5 and relu(-1 + 2 - 4) = 0.
  ASSERT_EQ(workspace.logits().size(), 1);
  EXPECT_FLOAT_EQ(workspace.logits()(0, 0), 3 * 5.5f + 1);
}

TEST(SoftmaxCrossEntropy, MatchesHandComputedValues) {
  Eigen::MatrixXf logits(3, 2);
  logits << 1, 0,  //
      2, 0,        //
      3, 0;
  const std::vector<int32_t> labels = {2, 0};
  Eigen::MatrixXf gradients;

  const absl::StatusOr<double> loss =
      ComputeSoftmaxCrossEntropy(logits, labels, &gradients);

  ASSERT_TRUE(loss.ok()) << loss.status();
  const double sum = std::exp(-2.0) + std::exp(-1.0) + 1.0;
  const double expected = (std::log(sum) + std::log(3.0)) / 2.0;
  EXPECT_NEAR(*loss, expected, 1e-6);
  EXPECT_NEAR(gradients(2, 0), (1.0 / sum - 1.0) / 2.0, 1e-6);
  EXPECT_NEAR(gradients(0, 0), std::exp(-2.0) / sum / 2.0, 1e-6);
  EXPECT_NEAR(gradients(0, 1), (1.0 / 3.0 - 1.0) / 2.0, 1e-6);
  EXPECT_NEAR(gradients(1, 1), (1.0 / 3.0) / 2.0, 1e-6);
}

TEST(SoftmaxCrossEntropy, LargeLogitsStayFinite) {
  Eigen::MatrixXf logits(2, 1);
  logits << 1000, 0;
  const std::vector<int32_t> labels = {1};

  const absl::StatusOr<double> loss =
      ComputeSoftmaxCrossEntropy(logits, labels, nullptr);

  ASSERT_TRUE(loss.ok()) << loss.status();
  EXPECT_NEAR(*loss, 1000.0, 1e-3);
}

TEST(SoftmaxCrossEntropy, InvalidLabelsAreRejected) {
  const Eigen::MatrixXf logits = Eigen::MatrixXf::Zero(3, 2);
  const std::vector<int32_t> too_few = {0};
  const std::vector<int32_t> out_of_range = {0, 3};

  EXPECT_EQ(ComputeSoftmaxCrossEntropy(logits, too_few, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  const absl::Status status =
      ComputeSoftmaxCrossEntropy(logits, out_of_range, nullptr).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("label 1 is 3"));
}

TEST(SoftmaxCrossEntropy, CountsCorrectPredictions) {
  Eigen::MatrixXf logits(3, 3);
  logits << 5, 0, 0,  //
      1, 0, 9,        //
      0, 7, 1;
  const std::vector<int32_t> labels = {0, 2, 2};

  const absl::StatusOr<int64_t> correct =
      CountCorrectPredictions(logits, labels);

  ASSERT_TRUE(correct.ok()) << correct.status();
  EXPECT_EQ(*correct, 2);
}

// Returns the mean loss of `model` on the batch, without gradients.
double ComputeLoss(const Mlp& model, const Eigen::MatrixXf& inputs,
                   const std::vector<int32_t>& labels) {
  MlpWorkspace workspace;
  EXPECT_TRUE(model.Forward(inputs, workspace).ok());
  const absl::StatusOr<double> loss =
      ComputeSoftmaxCrossEntropy(workspace.logits(), labels, nullptr);
  EXPECT_TRUE(loss.ok()) << loss.status();
  return loss.value_or(NAN);
}

// Returns the central difference (loss(p + h) - loss(p - h)) / 2h for one
// parameter, restoring the parameter afterwards.
double NumericalGradient(Mlp& model, float& parameter,
                         const Eigen::MatrixXf& inputs,
                         const std::vector<int32_t>& labels) {
  constexpr float kStep = 1e-3f;
  const float original = parameter;
  parameter = original + kStep;
  const double loss_plus = ComputeLoss(model, inputs, labels);
  parameter = original - kStep;
  const double loss_minus = ComputeLoss(model, inputs, labels);
  parameter = original;
  return (loss_plus - loss_minus) / (2.0 * kStep);
}

void ExpectGradientNear(double analytic, double numerical,
                        const std::string& name) {
  SCOPED_TRACE(name);
  EXPECT_NEAR(analytic, numerical, 5e-4 + 5e-3 * std::abs(numerical));
}

TEST(MlpBackward, MatchesFiniteDifferences) {
  absl::StatusOr<Mlp> model = Mlp::Create({5, 7, 6, 4}, 11);
  ASSERT_TRUE(model.ok()) << model.status();
  std::mt19937_64 rng(3);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Eigen::MatrixXf inputs(5, 6);
  for (int64_t i = 0; i < inputs.size(); ++i) inputs.data()[i] = normal(rng);
  const std::vector<int32_t> labels = {0, 3, 1, 2, 3, 0};

  MlpWorkspace workspace;
  MlpParameters gradients;
  const absl::StatusOr<double> loss =
      model->ComputeLossAndGradients(inputs, labels, workspace, gradients);
  ASSERT_TRUE(loss.ok()) << loss.status();
  EXPECT_NEAR(*loss, ComputeLoss(*model, inputs, labels), 1e-6);

  // Check every weight and bias of every layer.
  ASSERT_EQ(gradients.size(), 3u);
  for (int l = 0; l < model->num_layers(); ++l) {
    DenseLayerParameters& layer = model->mutable_parameters()[l];
    ASSERT_EQ(gradients[l].weights.rows(), layer.weights.rows());
    ASSERT_EQ(gradients[l].weights.cols(), layer.weights.cols());
    for (int64_t i = 0; i < layer.weights.size(); ++i) {
      ExpectGradientNear(
          gradients[l].weights.data()[i],
          NumericalGradient(*model, layer.weights.data()[i], inputs, labels),
          absl::StrCat("layer ", l, " weight ", i));
    }
    for (int64_t i = 0; i < layer.biases.size(); ++i) {
      ExpectGradientNear(
          gradients[l].biases(i),
          NumericalGradient(*model, layer.biases(i), inputs, labels),
          absl::StrCat("layer ", l, " bias ", i));
    }
  }
}

TEST(MlpBackward, ZeroReluOutputPassesNoGradient) {
  absl::StatusOr<Mlp> model = Mlp::Create({1, 1, 2}, 1);
  ASSERT_TRUE(model.ok()) << model.status();
  MlpParameters& parameters = model->mutable_parameters();
  // The hidden unit's pre-activation is 2 * 1 - 3 = -1, so ReLU outputs 0.
  parameters[0].weights << 2;
  parameters[0].biases << -3;
  Eigen::MatrixXf inputs(1, 1);
  inputs << 1;
  const std::vector<int32_t> labels = {1};
  MlpWorkspace workspace;
  MlpParameters gradients;

  ASSERT_TRUE(
      model->ComputeLossAndGradients(inputs, labels, workspace, gradients).ok());

  EXPECT_EQ(gradients[0].weights(0, 0), 0.0f);
  EXPECT_EQ(gradients[0].biases(0), 0.0f);
  EXPECT_THAT(std::vector<float>(gradients[1].weights.data(),
                                 gradients[1].weights.data() + 2),
              ElementsAre(0.0f, 0.0f));
  EXPECT_NE(gradients[1].biases(1), 0.0f);
}

}  // namespace
}  // namespace lrsched::trainer
