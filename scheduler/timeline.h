// The timeline a screen plays over a window, as `simulate` prints it and `preview` renders it.
#pragma once

#include <string>
#include <vector>

#include "scheduler/scheduler.h"

namespace branchcast {

struct TimelineEntry {
  Showing showing;
  Duration shown{0};  // how long it actually stays on screen in this timeline
};

// What reaches a scheduler besides its playlist while it runs (feeds published, recommendations,
// presence, overrides), replayed on a virtual clock. `run` tells its schedulers these things as
// they happen; `simulate` and `preview` replay the same changes at the instants `run` would see
// them (appliance/simulated_context.h), so both compute the same timeline.
class TimelineContext {
 public:
  virtual ~TimelineContext() = default;
  // The next instant at which apply() has something to tell; TimePoint::max() when nothing more.
  virtual TimePoint next_change() const = 0;
  // Tells `scheduler` (already advanced to `t`, and started) every change due at `t`.
  virtual void apply(Scheduler& scheduler, TimePoint t) = 0;
};

// Runs `scheduler` as if the appliance started at `from`, returning every showing that starts
// before `to`. The last entry's `shown` runs to its real end (past `to`); if nothing would ever end
// it (standby with no waking hours), to `to`. Cost grows with the number of item changes (and of
// context changes). With `context`, its changes at `from` are applied right after the start (as
// `run` gets them: a context change that is not an interrupt takes effect when the first item
// ends), later ones at their instants; a showing replaced at the instant it started is left out
// (it never reaches the screen).
std::vector<TimelineEntry> simulate_timeline(Scheduler& scheduler, TimePoint from, TimePoint to,
                                             TimelineContext* context = nullptr);

// One `simulate` line: start, rule, kind, ref, length (tab-separated, formats.md section 3).
std::string format_timeline_line(const TimelineEntry& e, const TimeZone& zone);

}  // namespace branchcast
