#include "appliance/screen_loop.h"

#include <malloc.h>

#include <filesystem>
#include <vector>

#include "appliance/display_watch.h"
#include "appliance/run_loop.h"
#include "appliance/screen_session.h"
#include "appliance/screen_wall.h"
#include "common/ticker.h"
#include "common/event_loop.h"
#include "media/gst_player.h"
#include "media/gst_recorder.h"
#include "scheduler/inputs.h"
#include "store/database.h"
#include "store/state_database.h"
#include "store/play_log_repository.h"

namespace branchcast {
int run_screens(const ApplianceSettings& settings, ScreenLoopOptions options, const Clock& clock,
                LogSink& log, std::ostream& out, std::ostream& err, ScreenLoopHooks hooks) {
  auto loop = make_glib_event_loop(clock);
  // The screens play whatever the storage does (store/state_database.h): never fails.
  StateDatabase state = options.database_path.empty() ? open_state_database(default_state_dir(), clock.now())
                                                      : open_state_database_file(options.database_path, clock.now());
  ScreenLoopPorts ports{*state.db, state.status, {}};
  return run_screens(settings, std::move(options), clock, log, out, err, *loop, std::move(ports), std::move(hooks));
}

int run_screens(const ApplianceSettings& settings, ScreenLoopOptions options, const Clock& clock,
                LogSink& log, std::ostream& out, std::ostream& err, EventLoop& event_loop, ScreenLoopPorts ports,
                ScreenLoopHooks hooks) {
  EventLoop* loop = &event_loop;
  Logger logger(log, "run");
  const StateDatabaseStatus& db_status = ports.db_status;
  if (db_status.degraded()) {
    logger.error(db_status.summary());
    err << "branchcast run: " << db_status.summary() << "\n";
  }
  const std::string db_path = db_status.storage == StateStorage::kMemory ? "memory only (" + db_status.path + " unusable)"
                                                                         : db_status.path;
  if (!ports.open_screen)
    ports.open_screen = [&settings, &options, &log](const ScreenSettings& s, ScheduleInputs inputs) {
      return open_screen_session(settings, s, std::move(inputs), options.force_offscreen, log);
    };
  auto plays = PlayLogRepository::open(ports.db);  // prepare_state_schema() already applied it
  if (!plays) {
    err << "branchcast run: " << plays.error().to_string() << "\n";
    return 1;
  }
  auto keep_proof_of_play = [&plays, &logger, &hooks](const PlayRecord* r) {
    size_t before = plays->pending();
    Status st = r ? plays->add(*r) : plays->flush();
    if (!st && before == 0)
      logger.error("proof of play cannot be written; kept in memory until it can: " + st.error().message);
    if (st && before > 0) logger.info("proof of play written again: " + std::to_string(before) + " rows kept in memory stored");
    if (plays->pending() != before && hooks.proof_of_play_kept) hooks.proof_of_play_kept(plays->pending(), plays->dropped());
  };

  std::vector<std::unique_ptr<ScreenSession>> screens;
  for (const ScreenSettings& s : settings.screens) {
    auto inputs = schedule_inputs_for_screen(settings, s.id);
    if (!inputs) {
      err << "branchcast run: " << inputs.error().to_string() << "\n";
      return 1;
    }
    if (hooks.schedule_inputs) {
      if (!inputs->media_length) inputs->media_length = gst_media_length_prober();
      *inputs = hooks.schedule_inputs(s.id, std::move(*inputs));
    }
    auto session = ports.open_screen(s, std::move(*inputs));
    if (!session) {
      err << "branchcast run: " << session.error().to_string() << "\n";
      return 1;
    }
    (*session)->runner->on_record = [&keep_proof_of_play](const PlayRecord& r) { keep_proof_of_play(&r); };
    (*session)->runner->on_skipped = [&hooks, id = s.id](const std::string& error) {
      if (hooks.item_failed) hooks.item_failed(id, error);
    };
    screens.push_back(std::move(*session));
  }
  if (screens.empty()) {
    err << "branchcast run: no screens configured\n";
    return 1;
  }
  bool headless = true;
  for (auto& s : screens) headless = headless && s->display->is_offscreen();
  if (headless && options.keep_running_without_display) {
    out << "No display found: running on without one; looking for a display again with backoff.\n";
  } else if (headless && !options.run_for) {
    // No display: the demo runs for 30 s offscreen and leaves pictures to look at.
    std::string state = default_state_dir();
    options.run_for = Duration(30'000);
    if (options.snapshots_dir.empty()) options.snapshots_dir = state + "/snapshots";
    if (options.record_path.empty()) options.record_path = state + "/recording.webm";
    out << "No display found: playing offscreen for 30 s.\n";
  }
  for (auto& s : screens)
    out << "screen " << s->screen.id << ": " << s->display->backend() << " " << s->display->output().width
        << "x" << s->display->output().height << ", rotation " << s->screen.rotation << "\n";
  if (!options.snapshots_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.snapshots_dir, ec);
    out << "snapshots: " << options.snapshots_dir << "\n";
  }
  std::unique_ptr<GstRecorder> recorder;
  if (!options.record_path.empty()) {
    Size o = screens.front()->display->output();
    auto r = GstRecorder::open(options.record_path, o.width, o.height, options.fps);
    if (!r) {  // an unwritable disk never keeps the screens dark: play without recording
      err << "branchcast run: not recording: " << r.error().to_string() << "\n";
    } else {
      recorder = std::move(*r);
      out << "recording screen " << screens.front()->screen.id << ": " << options.record_path << "\n";
    }
  }
  out.flush();

  const TimeZone zone = TimeZone::load_or_utc(settings.branch.timezone);
  RunLoopOptions loop_options;
  loop_options.frame = Duration(1000 / std::max(1, options.fps));
  loop_options.max_idle = options.max_idle;
  loop_options.run_for = options.run_for;
  RunLoop run_loop(*loop, clock, Logger(log, "clock"), loop_options);
  const MonoTime start = run_loop.started();
  const TimePoint started_at = clock.now();
  for (auto& s : screens) s->runner->start(started_at, start);
  std::vector<Scheduler*> schedulers;
  for (auto& s : screens) schedulers.push_back(s->scheduler.get());
  if (hooks.started) hooks.started(*loop, run_loop.poster(), schedulers, clock.now());
  // The screens as one Ticker (appliance/screen_wall.h), then the appliance's, then the display watch.
  std::vector<WallScreen> wall_screens;
  for (auto& s : screens) wall_screens.push_back({s->screen.id, s->scheduler.get(), s->runner.get(), s->display.get()});
  ScreenWallEvents wall_events;
  wall_events.item_started = hooks.item_started;
  wall_events.first_frame = hooks.first_frame;
  wall_events.quit = [&run_loop] { run_loop.quit(); };
  ScreenWall wall(std::move(wall_screens), {!headless, options.snapshots_dir, zone, recorder.get()}, std::move(wall_events),
                  Logger(log, "run"));
  run_loop.add(wall);
  if (hooks.ticker) run_loop.add(*hooks.ticker);
  // No display: look for one with backoff; found, the run ends (the caller runs again to use it).
  std::optional<DisplayWatch> display_watch;
  if (headless && options.keep_running_without_display) {
    display_watch.emplace([dir = options.drm_class_dir] { return display_connected(dir); }, started_at, [&] {
      logger.info("a display is connected now: starting the screens on it");
      out << "Display found: starting again on it.\n";
      if (hooks.display_found) hooks.display_found();
      run_loop.quit();
    });
    if (hooks.display_missing) hooks.display_missing();
    run_loop.add(*display_watch);
  }
  run_loop.run();
  if (hooks.stopping) hooks.stopping();

  MonoTime end = clock.monotonic();
  const RunLoopStats stats = run_loop.stats();
  ScreenLoopStats loop_stats{stats.turns, stats.wakeups, stats.ran};
  wall.finish(end);  // the last items' play records and snapshots, every snapshot written
  if (plays->pending() > 0) keep_proof_of_play(nullptr);  // one last try before the process goes
  if (plays->pending() > 0)
    logger.error(std::to_string(plays->pending()) + " proof-of-play rows could not be written and are lost with this run");
  if (recorder && wall.recording()) {
    if (auto st = recorder->finish(); !st) err << "branchcast run: " << st.error().message << "\n";
    else out << "recorded " << recorder->frames() << " frames to " << recorder->path() << "\n";
  }
  for (auto& s : screens) {
    const ScreenStats& st = s->runner->stats();
    char line[256];
    std::snprintf(line, sizeof line,
                  "screen %s: %d items, %d transitions, max gap %.1f ms, max late %.1f ms, %d skipped\n",
                  s->screen.id.c_str(), st.items, st.transitions, st.max_gap_ms, st.max_late_ms, st.skipped);
    out << line;
  }
  out << "proof of play: " << db_path << "\n";
  {
    char line[160];
    std::snprintf(line, sizeof line, "loop: %llu turns, %llu wakeups in %.1f s\n",
                  static_cast<unsigned long long>(loop_stats.turns), static_cast<unsigned long long>(loop_stats.wakeups),
                  static_cast<double>(loop_stats.ran.count()) / 1000.0);
    out << line;
  }
  if (hooks.finished) hooks.finished(loop_stats);
  return 0;
}

void limit_malloc_arenas() { ::mallopt(M_ARENA_MAX, 2); }

}  // namespace branchcast
