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
#include "appliance/screen_runner.h"
#include "common/event_loop.h"
#include "config/settings.h"
#include "store/state_database.h"

namespace branchcast {

struct ScreenLoopOptions {
  std::optional<Duration> run_for;   // stop after this long (nullopt: until SIGINT/SIGTERM)
  std::string snapshots_dir;         // "" = no snapshots
  std::string record_path;           // "" = no recording (first screen only)
  std::string database_path;         // proof of play; "" = default_state_dir()/branchcast.db
  bool force_offscreen = false;
  int fps = 30;
};

// Other components the daemon runs on the same loop (feeds, BLE, health, ...). Every hook is
// called on the loop thread; each is optional.
struct ScreenLoopHooks {
  // Before each screen's scheduler is built: the inputs it starts from, given its full inputs
  // (media lengths already probed). Unset: the full inputs (clock trust gates them).
  std::function<ScheduleInputs(const std::string& screen, ScheduleInputs full)> schedule_inputs;
  // Once, after the screens' schedulers started and before the first frame.
  std::function<void(EventLoop& loop, const std::vector<Scheduler*>& schedulers, TimePoint now)> started;
  // Every frame turn, after the screens drew (keep it cheap: compare deadlines).
  std::function<void(TimePoint now)> frame;
  // The wall clock stepped by `step` (appliance/clock_step_watch.h) and the screens' schedulers
  // started again at `now`, before the screens drew: re-anchor other deadlines on `now`.
  std::function<void(Duration step, TimePoint now)> clock_stepped;
  // When a screen presents the first frame of an item.
  std::function<void(const std::string& screen, const Showing& showing, const ScreenStats& stats)> item_started;
  // When a screen skipped an item that failed (the text says which item and why).
  std::function<void(const std::string& screen, const std::string& error)> item_failed;
  // Once, after the first frame of the first item was presented.
  std::function<void()> first_frame;
  // Once, after the state database was opened (before `started`): what open_state_database() had
  // to do (moved a damaged file aside, runs in memory, disk full).
  std::function<void(const StateDatabaseStatus& status)> state_database;
  // Proof of play kept in memory because it could not be written (store/play_log_repository.h):
  // called whenever the count changes; 0 again means everything kept was written.
  std::function<void(size_t pending, uint64_t dropped)> proof_of_play_kept;
  // Once, when the loop is about to end.
  std::function<void()> stopping;
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

}  // namespace branchcast
