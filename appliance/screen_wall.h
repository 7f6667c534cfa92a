// The screens of one run as one Ticker (common/ticker.h) on the run loop (issue 12), the way
// `branchcast run` drives them and the turn-by-turn tests drive them too.
//
// Due at once while something on a screen moves (a video, a crossfade, an item prerolling) or a
// recording runs; at least once a second while a window or panel is shown (its events: a closed
// window); otherwise at the earliest deadline of the screens' runners. A turn draws one frame on
// every screen (ScreenRunner::frame), feeds the recording from the first screen's first picture
// on, writes each item's snapshot off the loop thread, and says what happened (ScreenWallEvents).
// A wall-clock step starts every screen's schedule again at the turn's `now`.
//
// Loop thread only. The schedulers, runners, displays and the recorder outlive the wall.
#pragma once

#include <functional>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/ticker.h"
#include "common/time_zone.h"
#include "media/screen_runner.h"

namespace branchcast {

class GstRecorder;
class SdlDisplay;

struct WallScreen {
  std::string id;
  Scheduler* scheduler = nullptr;
  ScreenRunner* runner = nullptr;
  SdlDisplay* window = nullptr;  // polled for a closed window each turn; null: none (tests' fakes)
};

struct ScreenWallOptions {
  bool windowed = false;             // a window or panel shows the screens (not all offscreen)
  std::string snapshots_dir;         // "" = no snapshots; else one PNG per item started
  TimeZone zone = TimeZone::utc();   // for the snapshots' names
  GstRecorder* recorder = nullptr;   // records the first screen; null: no recording
};

// Each optional; called on the loop thread during tick().
struct ScreenWallEvents {
  // A screen presented the first frame of an item.
  std::function<void(const std::string& screen, const Showing& showing, const ScreenStats& stats)> item_started;
  // Once: the first frame of the first item on any screen.
  std::function<void()> first_frame;
  // A window was closed: the run should end.
  std::function<void()> quit;
};

class ScreenWall final : public Ticker {
 public:
  ScreenWall(std::vector<WallScreen> screens, ScreenWallOptions options, ScreenWallEvents events, Logger log);
  ~ScreenWall() override;

  TimePoint next_deadline(TimePoint now) const override;
  void tick(const Turn& turn) override;
  void clock_stepped(Duration step, const Turn& turn) override;

  // At the end of the run: closes the play record of every screen's item on screen (and takes
  // its snapshot), then waits for every snapshot write; a write that failed is logged.
  void finish(MonoTime end);
  // False once pushing a frame to the recorder failed (logged; the screens play on).
  bool recording() const { return recorder_ != nullptr; }

 private:
  void write_snapshots(const WallScreen& screen);

  std::vector<WallScreen> screens_;
  ScreenWallOptions options_;
  ScreenWallEvents events_;
  Logger log_;
  GstRecorder* recorder_;
  bool first_frame_seen_ = false;
  std::optional<MonoTime> record_start_;
  RgbaImage capture_, snapshot_;  // scratch buffers, reused every frame
  int snapshot_count_ = 0;
  std::vector<std::future<Status>> writes_;  // PNGs encoded off the loop thread
};

}  // namespace branchcast
