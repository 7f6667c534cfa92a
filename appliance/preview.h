// `branchcast preview`: the exact frame a screen shows at T, as PNG. The timeline is the one
// `simulate` gives from 00:00 of T's local day (the scheduler started at local midnight and ticked
// from deadline to deadline up to T); a crossfade in progress at T shows both items mixed, video
// frames are found by seeking. Rendered offscreen by the same display code as `run`.
#pragma once

#include <memory>
#include <string>

#include "common/log.h"
#include "config/settings.h"
#include "media/frame.h"
#include "scheduler/scheduler.h"
#include "scheduler/timeline.h"

namespace branchcast {

// What is on screen at T: the current item and, during a crossfade, the outgoing one.
struct PreviewPlan {
  Showing current;
  Duration current_offset{0};       // position into the current item
  std::optional<Showing> outgoing;  // only during a crossfade
  Duration outgoing_offset{0};
  double alpha = 1.0;               // opacity of the current item
};

// Pure: runs simulate_timeline (scheduler/timeline.h) from local midnight of `at` up to `at`, with
// `context` (feeds, picks, presence, override as `run` gets them; started at that midnight), and
// picks what shows at `at`.
PreviewPlan plan_preview(Scheduler& scheduler, const TimeZone& zone, TransitionSettings transition,
                         TimePoint at, TimelineContext* context = nullptr);

// Renders PreviewPlans of one screen, offscreen, by the display, player and card code of `run`
// (one session for many pictures: `schedule`'s thumbnails).
class PreviewRenderer {
 public:
  // Errors name the screen (unknown id, SDL/GStreamer start-up).
  static Result<std::unique_ptr<PreviewRenderer>> open(const ApplianceSettings& settings, const std::string& screen_id,
                                                        ScheduleInputs inputs, LogSink& log);
  ~PreviewRenderer();
  // The frame showing `plan`. A file that cannot be decoded is logged and left out of the frame.
  Result<RgbaImage> render(const PreviewPlan& plan);
  // The screen's own scheduler (built from the inputs given to open()).
  Scheduler& scheduler();

 private:
  PreviewRenderer() = default;
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

// Renders the frame of `screen_id` at `at` into an image (offscreen), scheduling from `inputs`
// (the same ScheduleInputs `simulate` uses) with `context` (appliance/screen_inputs.h; null: no
// feeds, presence empty).
// Errors name the screen; a file that cannot be decoded is logged and left out of the frame.
Result<RgbaImage> render_preview(const ApplianceSettings& settings, const std::string& screen_id,
                                 ScheduleInputs inputs, TimelineContext* context,
                                 TimePoint at, LogSink& log);

}  // namespace branchcast
