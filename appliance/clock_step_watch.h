// Clock steps in the run loop (common/clock_step.h; appliance/run_loop.h owns the one watch): the
// loop hands observe() the wall and monotonic times it read at the top of each turn; on a step
// every attached scheduler starts again at the new time (Scheduler::clock_stepped; the run loop
// attaches none: its screens' Ticker does that) and one line with the step's size is logged
// ("clock stepped forward 93 days 4 h; schedules restarted").
//
// The ScreenRunner keeps the old picture until the new showing's first frame is ready and measures
// proof of play on the monotonic clock, so a step leaves no black frame and no bogus `seconds
// shown`. Loop thread only.
#pragma once

#include <optional>
#include <vector>

#include "common/clock_step.h"
#include "common/log.h"
#include "scheduler/scheduler.h"

namespace branchcast {

class ClockStepWatch {
 public:
  explicit ClockStepWatch(Logger log, Duration threshold = kClockStepThreshold)
      : log_(std::move(log)), detector_(threshold) {}

  // The schedulers to start again on a step (not owned; they outlive the watch).
  void attach(std::vector<Scheduler*> schedulers) { schedulers_ = std::move(schedulers); }
  // Once per turn, before anything is ticked with `now`. Returns the step (positive: forward)
  // after restarting the schedulers at `now`, or nullopt when the clocks moved together.
  std::optional<Duration> observe(TimePoint now, MonoTime mono);

 private:
  Logger log_;
  ClockStepDetector detector_;
  std::vector<Scheduler*> schedulers_;
};

}  // namespace branchcast
