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

// Runs `scheduler` as if the appliance started at `from`, returning every showing that starts
// before `to`. The last entry's `shown` runs to its real end (past `to`); if nothing would ever end
// it (standby with no waking hours), to `to`. Cost grows with the number of item changes.
std::vector<TimelineEntry> simulate_timeline(Scheduler& scheduler, TimePoint from, TimePoint to);

// One `simulate` line: start, rule, kind, ref, length (tab-separated, formats.md section 3).
std::string format_timeline_line(const TimelineEntry& e, const TimeZone& zone);

}  // namespace branchcast
