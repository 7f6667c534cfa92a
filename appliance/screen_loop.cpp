#include "appliance/screen_loop.h"

#include <malloc.h>
#include <glib-unix.h>

#include <csignal>
#include <filesystem>
#include <future>
#include <vector>

#include "appliance/clock_step_watch.h"
#include "appliance/screen_session.h"
#include "common/event_loop.h"
#include "media/gst_player.h"
#include "media/gst_recorder.h"
#include "scheduler/inputs.h"
#include "store/database.h"
#include "store/state_database.h"
#include "store/play_log_repository.h"

namespace branchcast {
namespace {

gboolean on_signal(gpointer data) {
  static_cast<EventLoop*>(data)->quit();
  return G_SOURCE_CONTINUE;
}

std::string snapshot_name(const std::string& dir, const std::string& screen, int n, const TimeZone& zone,
                          TimePoint now) {
  std::string stamp = zone.format_iso(now).substr(0, 19);
  for (char& c : stamp)
    if (c == ':') c = '-';
  char seq[16];
  std::snprintf(seq, sizeof seq, "%04d", n);
  return (std::filesystem::path(dir) / (screen + "-" + seq + "-" + stamp + ".png")).string();
}

}  // namespace

int run_screens(const ApplianceSettings& settings, ScreenLoopOptions options, const Clock& clock,
                LogSink& log, std::ostream& out, std::ostream& err, ScreenLoopHooks hooks) {
  Logger logger(log, "run");
  // The screens play whatever the storage does (store/state_database.h): never fails.
  StateDatabase state = options.database_path.empty() ? open_state_database(default_state_dir(), clock.now())
                                                      : open_state_database_file(options.database_path, clock.now());
  if (state.status.degraded()) {
    logger.error(state.status.summary());
    err << "branchcast run: " << state.status.summary() << "\n";
  }
  if (hooks.state_database) hooks.state_database(state.status);
  const std::string db_path = state.status.storage == StateStorage::kMemory ? "memory only (" + state.status.path + " unusable)"
                                                                            : state.status.path;
  auto plays = PlayLogRepository::open(*state.db);  // prepare_state_schema() already applied it
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
    auto session = open_screen_session(settings, s, std::move(*inputs), options.force_offscreen, log);
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
  if (headless && !options.run_for) {
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

  auto loop = make_glib_event_loop(clock);
  guint sigint = g_unix_signal_add(SIGINT, on_signal, loop.get());
  guint sigterm = g_unix_signal_add(SIGTERM, on_signal, loop.get());
  const TimeZone zone = TimeZone::load_or_utc(settings.branch.timezone);
  const MonoTime start = clock.monotonic();
  const Duration period(1000 / std::max(1, options.fps));
  const TimePoint started_at = clock.now();
  for (auto& s : screens) s->runner->start(started_at, start);
  std::vector<Scheduler*> schedulers;
  for (auto& s : screens) schedulers.push_back(s->scheduler.get());
  ClockStepWatch steps(Logger(log, "clock"));  // the first turn is compared with the start
  steps.attach(schedulers);
  steps.observe(started_at, start);
  if (hooks.started) hooks.started(*loop, schedulers, clock.now());
  bool first_frame_seen = false;

  std::vector<std::future<Status>> writes;  // snapshots are encoded off the loop thread
  int snapshot_count = 0;
  RgbaImage capture, snapshot;
  long long frame_no = 0;
  std::optional<MonoTime> record_start;
  std::function<void()> tick = [&] {
    TimePoint now = clock.now();
    MonoTime mono = clock.monotonic();
    if (auto step = steps.observe(now, mono); step && hooks.clock_stepped) hooks.clock_stepped(*step, now);
    bool quit = options.run_for && mono - start >= *options.run_for;
    for (size_t i = 0; i < screens.size(); ++i) {
      ScreenSession& s = *screens[i];
      if (s.display->quit_requested()) quit = true;
      const bool record = i == 0 && recorder;
      (void)s.runner->frame(now, mono, record ? &capture : nullptr,
                            options.snapshots_dir.empty() ? nullptr : &snapshot);
      if (i == 0 && recorder && s.runner->stats().items > 0) {  // from the first picture on
        if (!record_start) record_start = mono;
        if (auto st = recorder->push(capture, mono - *record_start); !st) {
          logger.error(st.error().message);
          recorder.reset();
        }
      }
      if (s.runner->item_started() && hooks.item_started)
        hooks.item_started(s.screen.id, s.scheduler->showing(), s.runner->stats());
      if (!first_frame_seen && s.runner->stats().items > 0) {
        first_frame_seen = true;
        if (hooks.first_frame) hooks.first_frame();
      }
      if (s.runner->item_started() && !options.snapshots_dir.empty()) {
        std::string path = snapshot_name(options.snapshots_dir, s.screen.id, ++snapshot_count, zone, now);
        writes.push_back(std::async(std::launch::async, [img = snapshot, path] { return gst_write_png(img, path); }));
      }
    }
    if (hooks.frame) hooks.frame(now);
    if (quit) {
      loop->quit();
      return;
    }
    // Next frame on the frame grid; frames that are already late are dropped, not queued.
    ++frame_no;
    MonoTime next = start + period * frame_no;
    if (next <= clock.monotonic()) {
      frame_no = (clock.monotonic() - start) / period + 1;
      next = start + period * frame_no;
    }
    loop->wake_at(1, next, tick);
  };
  loop->wake_at(1, start, tick);
  loop->run();
  if (hooks.stopping) hooks.stopping();
  g_source_remove(sigint);
  g_source_remove(sigterm);

  MonoTime end = clock.monotonic();
  for (auto& s : screens) s->runner->finish(end);
  if (plays->pending() > 0) keep_proof_of_play(nullptr);  // one last try before the process goes
  if (plays->pending() > 0)
    logger.error(std::to_string(plays->pending()) + " proof-of-play rows could not be written and are lost with this run");
  for (auto& w : writes)
    if (auto st = w.get(); !st) logger.error(st.error().message);
  if (recorder) {
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
  return 0;
}

void limit_malloc_arenas() { ::mallopt(M_ARENA_MAX, 2); }

}  // namespace branchcast
