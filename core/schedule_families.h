// Every schedule family, for code that builds schedules (schedule_builder.cc) or tests them.
// Each group lives in core/families/ by framework: PyTorch's closed forms, its cyclic and
// restarting schedules, Keras', transformers', the generic ones and the compositions.
#ifndef LRSCHED_CORE_SCHEDULE_FAMILIES_H_
#define LRSCHED_CORE_SCHEDULE_FAMILIES_H_

#include "core/families/composite_schedules.h"
#include "core/families/cyclic_schedules.h"
#include "core/families/generic_schedules.h"
#include "core/families/keras_schedules.h"
#include "core/families/pytorch_schedules.h"
#include "core/families/restart_schedules.h"
#include "core/families/transformers_schedules.h"

#endif  // LRSCHED_CORE_SCHEDULE_FAMILIES_H_
