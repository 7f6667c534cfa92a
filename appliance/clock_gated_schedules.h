// Clock trust for the screens' schedulers (services/clock_trust.h, issue 7 item 7): while the
// system clock has not been synchronised since boot, every screen plays its default playlist
// (untrusted_clock_inputs: no rules, no opening hours, no power schedule); when DaemonServices
// reports the clock trusted, every scheduler restarts from its full inputs at that moment.
//
// The ScreenRunner keeps the picture on screen until the first frame of the new showing is ready,
// so the switch has no black frame. Loop thread only.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "scheduler/scheduler.h"

namespace branchcast {

class ClockGatedSchedules {
 public:
  // `trusted_at_start`: the clock probe's answer before the screens start.
  explicit ClockGatedSchedules(bool trusted_at_start) : trusted_(trusted_at_start) {}

  // For ScreenLoopHooks::schedule_inputs, once per screen in settings order: keeps `full` and
  // returns what the screen's scheduler starts from.
  ScheduleInputs inputs_for(ScheduleInputs full);
  // The schedulers built from inputs_for(), same order.
  void attach(std::vector<Scheduler*> schedulers) { schedulers_ = std::move(schedulers); }

  // The clock became trusted: restarts every attached scheduler from its full inputs at `now`.
  // Returns false (and changes nothing) when the schedules were already trusted.
  bool trust(TimePoint now);
  // A valid configuration reload (issue 13): every attached scheduler gets its new full inputs
  // (same order) without starting again (Scheduler::update_inputs); while the clock is untrusted
  // they keep playing the new default playlist and the full inputs wait for trust().
  void update(std::vector<ScheduleInputs> full, TimePoint now);
  bool trusted() const { return trusted_; }

 private:
  bool trusted_;
  std::vector<ScheduleInputs> full_;
  std::vector<Scheduler*> schedulers_;
};

}  // namespace branchcast
