// Everything one screen needs at run time, built from the settings (composition helpers shared by
// `run` and `preview`): scheduler inputs, the SDL display, the GStreamer player, the card renderer
// and the ScreenRunner that ties them together. Loop thread only.
#pragma once

#include <memory>
#include <string>

#include "media/screen_runner.h"
#include "common/log.h"
#include "config/settings.h"
#include "media/gst_player.h"
#include "media/sdl_card_renderer.h"
#include "media/sdl_display.h"

namespace branchcast {

struct ScreenSession {
  ScreenSettings screen;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<SdlDisplay> display;
  std::unique_ptr<GstPlayer> player;
  std::unique_ptr<SdlCardRenderer> cards;
  std::unique_ptr<ScreenRunner> runner;
};

// Opens the screen's output (offscreen when `force_offscreen`) and builds its runner, scheduling
// from `inputs` (schedule_inputs_for_screen; video lengths are probed with GStreamer when the
// inputs carry no prober). The runner is not started. Errors name the screen; GStreamer/SDL start-up failures are returned, not thrown.
Result<std::unique_ptr<ScreenSession>> open_screen_session(const ApplianceSettings& settings,
                                                           const ScreenSettings& screen,
                                                           ScheduleInputs inputs,
                                                           bool force_offscreen, LogSink& log);

}  // namespace branchcast
