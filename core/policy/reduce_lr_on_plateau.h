// ReduceLROnPlateau as PyTorch and Keras define it. The two differ in when patience runs out,
// how cooldown counts and how improvement is measured. So each has its own class:
//   PyTorch 1.13: reduces once more than `patience` boundaries passed without improvement;
//     improvement is relative or absolute by `threshold_mode`; a reduction smaller than `eps`
//     is skipped.
//   Keras 3: reduces once `patience` boundaries passed without improvement; the boundary at
//     which the cooldown runs out already counts; improvement means beating the best by more
//     than |min_delta|; the rate is reduced only while above min_lr rounded to float32.
#ifndef LRSCHED_CORE_POLICY_REDUCE_LR_ON_PLATEAU_H_
#define LRSCHED_CORE_POLICY_REDUCE_LR_ON_PLATEAU_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/policy/policy.h"

namespace lrsched {

class TorchReduceLROnPlateau final : public Policy {
 public:
  // Validates the parameters, naming fields under `path`, and applies PyTorch's defaults.
  static absl::StatusOr<std::unique_ptr<Policy>> Create(const v1::TorchReduceLROnPlateau& spec,
                                                        const std::string& path);

  std::string name() const override { return "reduce_lr_on_plateau"; }
  std::optional<v1::Decision> Step(const BoundaryObservation& observation,
                                   v1::PolicyState& state) const override;

 private:
  bool IsBetter(double current, double best) const;

  bool maximize_ = false;
  double factor_ = 0.1;
  int patience_ = 10;
  double threshold_ = 1e-4;
  bool relative_threshold_ = true;
  int cooldown_ = 0;
  double min_lr_ = 0;
  double eps_ = 1e-8;
};

class KerasReduceLROnPlateau final : public Policy {
 public:
  // Validates the parameters, naming fields under `path`; `monitor` decides mode "auto".
  static absl::StatusOr<std::unique_ptr<Policy>> Create(const v1::KerasReduceLROnPlateau& spec,
                                                        const std::string& monitor,
                                                        const std::string& path);

  std::string name() const override { return "keras_reduce_lr_on_plateau"; }
  std::optional<v1::Decision> Step(const BoundaryObservation& observation,
                                   v1::PolicyState& state) const override;

 private:
  bool maximize_ = false;
  double factor_ = 0.1;
  int patience_ = 10;
  double min_delta_ = 1e-4;
  int cooldown_ = 0;
  double min_lr_ = 0;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_POLICY_REDUCE_LR_ON_PLATEAU_H_
