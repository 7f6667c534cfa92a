#include "appliance/clock_gated_schedules.h"

#include "services/clock_trust.h"

namespace branchcast {

ScheduleInputs ClockGatedSchedules::inputs_for(ScheduleInputs full) {
  if (trusted_) return full;
  full_.push_back(full);
  return untrusted_clock_inputs(std::move(full));
}

bool ClockGatedSchedules::trust(TimePoint now) {
  if (trusted_) return false;
  trusted_ = true;
  for (size_t i = 0; i < schedulers_.size() && i < full_.size(); ++i) schedulers_[i]->restart(std::move(full_[i]), now);
  full_.clear();
  return true;
}

void ClockGatedSchedules::update(std::vector<ScheduleInputs> full, TimePoint now) {
  for (size_t i = 0; i < schedulers_.size() && i < full.size(); ++i)
    schedulers_[i]->update_inputs(trusted_ ? full[i] : untrusted_clock_inputs(full[i]), now);
  if (!trusted_) full_ = std::move(full);
}

}  // namespace branchcast
