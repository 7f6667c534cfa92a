// `branchcast preview`: the exact frame a screen shows at T, as PNG. The timeline is the one
// `simulate` gives from 00:00 of T's local day (the scheduler started at local midnight and ticked
// from deadline to deadline up to T); a crossfade in progress at T shows both items mixed, video
// frames are found by seeking. Rendered offscreen by the same display code as `run`.
#pragma once

#include <string>

#include "common/log.h"
#include "config/settings.h"
#include "media/frame.h"
#include "scheduler/scheduler.h"

namespace branchcast {

// What is on screen at T: the current item and, during a crossfade, the outgoing one.
struct PreviewPlan {
  Showing current;
  Duration current_offset{0};       // position into the current item
  std::optional<Showing> outgoing;  // only during a crossfade
  Duration outgoing_offset{0};
  double alpha = 1.0;               // opacity of the current item
};

// Pure: runs simulate_timeline (scheduler/timeline.h) from local midnight of `at` up to `at` and
// picks what shows at `at`. The scheduler must have its events set already.
PreviewPlan plan_preview(Scheduler& scheduler, const TimeZone& zone, TransitionSettings transition,
                         TimePoint at);

// Renders the frame of `screen_id` at `at` into an image (offscreen), scheduling from `inputs`
// (the same ScheduleInputs `simulate` uses) with `events` (the branch's events of that day).
// Errors name the screen; a file that cannot be decoded is logged and left out of the frame.
Result<RgbaImage> render_preview(const ApplianceSettings& settings, const std::string& screen_id,
                                 ScheduleInputs inputs, std::vector<CatalogueEvent> events,
                                 TimePoint at, LogSink& log);

}  // namespace branchcast
