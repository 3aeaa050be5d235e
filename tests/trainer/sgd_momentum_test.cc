// Tests of SgdMomentum against two steps computed by hand, and of its input
// checks.

#include "trainer/sgd_momentum.h"

#include <cmath>
#include <limits>

#include <Eigen/Core>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/mlp.h"

namespace lrsched::trainer {
namespace {

using ::testing::HasSubstr;

// One layer with weights [w0 w1] and bias b.
MlpParameters OneLayer(float w0, float w1, float b) {
  MlpParameters parameters(1);
  parameters[0].weights.resize(1, 2);
  parameters[0].weights << w0, w1;
  parameters[0].biases.resize(1);
  parameters[0].biases << b;
  return parameters;
}

TEST(SgdMomentum, TwoStepsMatchHandComputedValues) {
  absl::StatusOr<SgdMomentum> optimizer = SgdMomentum::Create(0.9);
  ASSERT_TRUE(optimizer.ok()) << optimizer.status();
  MlpParameters parameters = OneLayer(1.0f, -2.0f, 0.5f);

  // Step 1: v = g = [0.1, 0.2 | 1], w = [1, -2 | 0.5] - 0.5 * v.
  ASSERT_TRUE(optimizer->Step(0.5, OneLayer(0.1f, 0.2f, 1.0f), parameters).ok());
  EXPECT_NEAR(parameters[0].weights(0, 0), 0.95f, 1e-6);
  EXPECT_NEAR(parameters[0].weights(0, 1), -2.1f, 1e-6);
  EXPECT_NEAR(parameters[0].biases(0), 0.0f, 1e-6);

  // Step 2: v = 0.9 * [0.1, 0.2 | 1] + [0.3, -0.4 | 2] = [0.39, -0.22 | 2.9],
  // w = [0.95, -2.1 | 0] - 0.5 * v.
  ASSERT_TRUE(
      optimizer->Step(0.5, OneLayer(0.3f, -0.4f, 2.0f), parameters).ok());
  EXPECT_NEAR(optimizer->velocity()[0].weights(0, 0), 0.39f, 1e-6);
  EXPECT_NEAR(optimizer->velocity()[0].weights(0, 1), -0.22f, 1e-6);
  EXPECT_NEAR(optimizer->velocity()[0].biases(0), 2.9f, 1e-6);
  EXPECT_NEAR(parameters[0].weights(0, 0), 0.755f, 1e-6);
  EXPECT_NEAR(parameters[0].weights(0, 1), -1.99f, 1e-6);
  EXPECT_NEAR(parameters[0].biases(0), -1.45f, 1e-6);
}

TEST(SgdMomentum, ZeroMomentumIsPlainSgd) {
  absl::StatusOr<SgdMomentum> optimizer = SgdMomentum::Create(0.0);
  ASSERT_TRUE(optimizer.ok()) << optimizer.status();
  MlpParameters parameters = OneLayer(1.0f, 1.0f, 1.0f);

  ASSERT_TRUE(optimizer->Step(0.1, OneLayer(1.0f, 2.0f, 3.0f), parameters).ok());
  ASSERT_TRUE(optimizer->Step(0.1, OneLayer(1.0f, 2.0f, 3.0f), parameters).ok());

  EXPECT_NEAR(parameters[0].weights(0, 0), 0.8f, 1e-6);
  EXPECT_NEAR(parameters[0].weights(0, 1), 0.6f, 1e-6);
  EXPECT_NEAR(parameters[0].biases(0), 0.4f, 1e-6);
}

TEST(SgdMomentum, InvalidMomentumIsRejected) {
  for (const double momentum :
       {-0.1, 1.0, 2.0, std::numeric_limits<double>::quiet_NaN()}) {
    SCOPED_TRACE(momentum);
    const absl::Status status = SgdMomentum::Create(momentum).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr("momentum must be in [0, 1)"));
  }
}

TEST(SgdMomentum, InvalidLearningRateChangesNothing) {
  absl::StatusOr<SgdMomentum> optimizer = SgdMomentum::Create(0.9);
  ASSERT_TRUE(optimizer.ok()) << optimizer.status();
  MlpParameters parameters = OneLayer(1.0f, 2.0f, 3.0f);

  for (const double learning_rate :
       {-0.01, std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::quiet_NaN()}) {
    SCOPED_TRACE(learning_rate);
    const absl::Status status =
        optimizer->Step(learning_rate, OneLayer(1.0f, 1.0f, 1.0f), parameters);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr("learning rate must be finite"));
  }
  EXPECT_EQ(parameters[0].weights(0, 0), 1.0f);
  EXPECT_EQ(parameters[0].biases(0), 3.0f);
  EXPECT_TRUE(optimizer->velocity().empty());
}

TEST(SgdMomentum, ZeroLearningRateOnlyUpdatesVelocity) {
  absl::StatusOr<SgdMomentum> optimizer = SgdMomentum::Create(0.5);
  ASSERT_TRUE(optimizer.ok()) << optimizer.status();
  MlpParameters parameters = OneLayer(1.0f, 2.0f, 3.0f);

  ASSERT_TRUE(optimizer->Step(0.0, OneLayer(4.0f, 4.0f, 4.0f), parameters).ok());

  EXPECT_EQ(parameters[0].weights(0, 0), 1.0f);
  EXPECT_EQ(optimizer->velocity()[0].weights(0, 0), 4.0f);
}

TEST(SgdMomentum, MismatchedShapesAreRejected) {
  absl::StatusOr<SgdMomentum> optimizer = SgdMomentum::Create(0.9);
  ASSERT_TRUE(optimizer.ok()) << optimizer.status();
  MlpParameters parameters = OneLayer(1.0f, 2.0f, 3.0f);
  MlpParameters wide_gradients(1);
  wide_gradients[0].weights = Eigen::MatrixXf::Ones(1, 3);
  wide_gradients[0].biases = Eigen::VectorXf::Ones(1);

  const absl::Status status =
      optimizer->Step(0.1, wide_gradients, parameters);

  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(parameters[0].weights(0, 0), 1.0f);
  EXPECT_TRUE(optimizer->velocity().empty());
}

TEST(SgdMomentum, ShapeChangeAfterFirstStepIsRejected) {
  absl::StatusOr<SgdMomentum> optimizer = SgdMomentum::Create(0.9);
  ASSERT_TRUE(optimizer.ok()) << optimizer.status();
  MlpParameters parameters = OneLayer(1.0f, 2.0f, 3.0f);
  ASSERT_TRUE(optimizer->Step(0.1, OneLayer(1.0f, 1.0f, 1.0f), parameters).ok());
  MlpParameters wider(1);
  wider[0].weights = Eigen::MatrixXf::Ones(1, 3);
  wider[0].biases = Eigen::VectorXf::Ones(1);
  const MlpParameters wider_gradients = wider;

  const absl::Status status = optimizer->Step(0.1, wider_gradients, wider);

  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("first Step call"));
  EXPECT_EQ(wider[0].weights(0, 0), 1.0f);
}

}  // namespace
}  // namespace lrsched::trainer
