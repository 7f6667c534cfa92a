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

// Pure: replays the scheduler from local midnight of `at` to `at`.
PreviewPlan plan_preview(Scheduler& scheduler, const TimeZone& zone, TransitionSettings transition,
                         TimePoint at);

// Renders the frame of `screen_id` at `at` into an image (offscreen). Errors name the screen or
// the file that could not be decoded (the frame is still rendered without it when possible).
Result<RgbaImage> render_preview(const ApplianceSettings& settings, const std::string& screen_id,
                                 TimePoint at, LogSink& log);

}  // namespace branchcast
