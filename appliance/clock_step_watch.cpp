#include "appliance/clock_step_watch.h"

#include <string>

namespace branchcast {

std::optional<Duration> ClockStepWatch::observe(TimePoint now, MonoTime mono) {
  std::optional<Duration> step = detector_.observe(now, mono);
  if (!step) return step;
  for (Scheduler* s : schedulers_) s->clock_stepped(now);
  std::string line = "clock stepped " + describe_clock_step(*step) + "; schedules restarted";
  if (step->count() > 0) log_.info(line);  // NTP's first sync after boot, every boot on a Pi
  else log_.warn(line);                     // a time source that was wrong, or is now

  return step;
}

}  // namespace branchcast
