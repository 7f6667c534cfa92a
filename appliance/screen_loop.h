// `branchcast run` for the screens: opens every screen, drives them from one GLib loop at the
// display frame rate, writes snapshots / a recording when asked, logs proof of play to SQLite and
// prints one summary line per screen at exit. Feeds, beacon and presence are wired by later issues.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/log.h"
#include "media/screen_runner.h"
#include "common/event_loop.h"
#include "common/ticker.h"
#include "config/settings.h"
#include "store/state_database.h"

namespace branchcast {

class Database;
struct ScreenSession;

struct ScreenLoopOptions {
  std::optional<Duration> run_for;   // stop after this long (nullopt: until SIGINT/SIGTERM)
  std::string snapshots_dir;         // "" = no snapshots
  std::string record_path;           // "" = no recording (first screen only)
  std::string database_path;         // proof of play; "" = default_state_dir()/branchcast.db (run_screens
                                     // without ScreenLoopPorts; `run` opens it in cmd_run.cpp)
  bool force_offscreen = false;
  int fps = 30;
  // Frame-rate turns only while something moves (video, crossfade, an item prerolling, a
  // recording); otherwise the loop (appliance/run_loop.h) sleeps until the earliest deadline of
  // the screens and the hooks' ticker, at most this long. 0: a turn every frame (tests on an
  // accelerated clock, whose deadlines GLib would wait for in real time).
  Duration max_idle{5000};
  // No display (every screen offscreen) is not a reason to stop (issue 14; `run` under systemd or
  // with --keep-running): the loop runs on without snapshots or a recording unless asked, and
  // looks for a display with backoff (appliance/display_watch.h). Off (an interactive demo): no
  // display plays offscreen for 30 s, writes snapshots and a recording, and exits.
  bool keep_running_without_display = false;
  std::string drm_class_dir = "/sys/class/drm";  // where the display watch looks for connectors
};

// What one run of the loop did (for the run's summary and for benchmarks).
struct ScreenLoopStats {
  uint64_t turns = 0;    // loop turns (frames composed or not)
  uint64_t wakeups = 0;  // every wake-up of the loop (turns, posts, timers)
  Duration ran{0};       // monotonic time from the first turn to the end
};

// Other components the daemon runs on the same loop (feeds, BLE, health, ...). Every hook is
// called on the loop thread; each is optional.
struct ScreenLoopHooks {
  // Before each screen's scheduler is built: the inputs it starts from, given its full inputs
  // (media lengths already probed). Unset: the full inputs (clock trust gates them).
  std::function<ScheduleInputs(const std::string& screen, ScheduleInputs full)> schedule_inputs;
  // Once, after the screens' schedulers started and before the first frame. `post` is the loop's
  // poster that also asks for a turn right after the posted job ran (so that what it changed -
  // a scheduler's events, an override - is on screen without waiting for the next deadline).
  std::function<void(EventLoop& loop, const Poster& post, const std::vector<Scheduler*>& schedulers, TimePoint now)>
      started;
  // The other components' deadlines as one Ticker (common/ticker.h; the Appliance in `run`): told
  // about clock steps after the screens' schedulers started again, ticked after the screens drew
  // when due; the loop sleeps no longer than its next deadline. Not owned.
  Ticker* ticker = nullptr;
  // When a screen presents the first frame of an item.
  std::function<void(const std::string& screen, const Showing& showing, const ScreenStats& stats)> item_started;
  // When a screen skipped an item that failed (the text says which item and why).
  std::function<void(const std::string& screen, const std::string& error)> item_failed;
  // Once, after the first frame of the first item was presented.
  std::function<void()> first_frame;
  // Once, right after `started`, when no screen has a display (keep_running_without_display).
  std::function<void()> display_missing;
  // A display was found after display_missing: the loop ends; the caller runs again to use it.
  std::function<void()> display_found;
  // Proof of play kept in memory because it could not be written (store/play_log_repository.h):
  // called whenever the count changes; 0 again means everything kept was written.
  std::function<void(size_t pending, uint64_t dropped)> proof_of_play_kept;
  // Once, when the loop is about to end.
  std::function<void()> stopping;
  // Once at the end (tests, benchmarks): what the loop did.
  std::function<void(const ScreenLoopStats&)> finished;
};

// Opens one screen (appliance/screen_session.h: open_screen_session in the product) from the inputs
// its scheduler starts from.
using ScreenFactory =
    std::function<Result<std::unique_ptr<ScreenSession>>(const ScreenSettings& screen, ScheduleInputs inputs)>;

// What the loop is built from when the caller owns it (`branchcast run`, appliance/cmd_run.cpp).
struct ScreenLoopPorts {
  Database& db;                   // the state database (proof of play), opened by the caller
  StateDatabaseStatus db_status;  // what open_state_database() had to do (reported on stderr)
  ScreenFactory open_screen;      // unset: open_screen_session
};

// Caps glibc's malloc arenas at 2 for the whole process. Call first thing in main(), before any
// thread exists. GStreamer's and the workers' threads otherwise each grow their own arena: the
// 24 h soak (bench/daemon) measured RSS 144 -> 154 MiB over the first 7 simulated hours without
// the cap, and 105.7 -> 108.8 MiB (flat from hour 1) with it.
void limit_malloc_arenas();

// Runs until done; returns the exit status (0, or 1 when a screen could not start).
// Messages for people go to `out`/`err`; diagnostics to the log.
int run_screens(const ApplianceSettings& settings, ScreenLoopOptions options, const Clock& clock,
                LogSink& log, std::ostream& out, std::ostream& err, ScreenLoopHooks hooks = {});
// The same on a loop the caller owns. The loop runs once (common/event_loop.h): the caller keeps
// it alive until every worker that posts to it has been joined, then destroys it.
int run_screens(const ApplianceSettings& settings, ScreenLoopOptions options, const Clock& clock,
                LogSink& log, std::ostream& out, std::ostream& err, EventLoop& loop, ScreenLoopPorts ports,
                ScreenLoopHooks hooks);

}  // namespace branchcast
