// `branchcast run` and its composition root: every adapter is made here and handed to the
// Appliance (appliance/appliance.h) and the screens' loop (appliance/screen_loop.h) as ports.
#include "appliance/commands.h"
#include "appliance/appliance_daemon.h"
#include "appliance/screen_context.h"
#include "appliance/screen_session.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>

#include "ble/bluez_radio.h"
#include "common/http_client.h"
#include "media/screen_runner.h"
#include "notify/mqtt.h"
#include "services/cec_device.h"
#include "services/content_sync.h"
#include "services/content_versions.h"
#include "store/database.h"
#include "store/state_database.h"

namespace branchcast {
namespace {

// The screens' loop calls the appliance through these: its Ticker (common/ticker.h) and its named
// events.
ScreenLoopHooks appliance_hooks(Appliance& a, const ApplianceSettings& settings) {
  ScreenLoopHooks h;
  h.schedule_inputs = [&a](const std::string&, ScheduleInputs full) { return a.schedule_inputs(std::move(full)); };
  h.started = [&a, &settings](EventLoop&, const Poster& post, const std::vector<Scheduler*>& schedulers,
                               TimePoint now) {
    std::vector<ApplianceScreen> screens;  // settings order
    for (size_t i = 0; i < schedulers.size() && i < settings.screens.size(); ++i)
      screens.push_back({settings.screens[i].id, schedulers[i]});
    a.start(std::move(screens), post, now);
  };
  h.ticker = &a;  // tick(turn), next_deadline(now), clock_stepped(step, turn)
  h.item_started = [&a](const std::string& screen, const Showing& showing, const ScreenStats& stats) {
    a.on_item_started(screen, showing, stats);
  };
  h.item_failed = [&a](const std::string& screen, const std::string& error) { a.on_item_failed(screen, error); };
  h.first_frame = [&a] { a.on_first_frame(); };
  h.display_missing = [&a] { a.on_display_missing(); };
  h.display_found = [&a] { a.on_display_found(); };
  h.proof_of_play_kept = [&a](size_t pending, uint64_t dropped) { a.on_proof_of_play_kept(pending, dropped); };
  h.stopping = [&a] { a.stop(); };
  return h;
}

int run_main(const Args& args, CommandEnv& env) {
  auto config = args.get("config");
  if (!config) return usage_error(env, "run", "--config is required");
  ScreenLoopOptions options;
  if (auto f = args.get("for")) {
    auto d = parse_duration(*f);
    if (!d) return usage_error(env, "run", "--for: " + d.error().message);
    options.run_for = *d;
  }
  options.snapshots_dir = args.get("snapshots").value_or("");
  options.record_path = args.get("record").value_or("");
  DaemonOptions daemon;
  // systemd sets INVOCATION_ID for every service it starts: unattended, so wait for a synced clock.
  daemon.require_synced_clock = args.has("require-synced-clock") || std::getenv("INVOCATION_ID") != nullptr;
  // ... and never stop for want of a display (NOTIFY_SOCKET: a Type=notify service manager).
  options.keep_running_without_display = args.has("keep-running") || std::getenv("INVOCATION_ID") != nullptr ||
                                         std::getenv("NOTIFY_SOCKET") != nullptr;
  const bool unattended = std::getenv("INVOCATION_ID") != nullptr;
  std::unique_ptr<ContentLease> lease;  // the content version playing is never pruned by a sync
  std::optional<ApplianceSettings> changed;  // validated by the reloader: not loaded again
  for (;;) {
    std::optional<ApplianceSettings> settings = std::move(changed);
    changed.reset();
    if (settings) {
      daemon.config_problem.clear();
    } else {
      // An invalid synced `current` falls back to the newest valid version, then to a card naming
      // the problem (services/content_versions.h).
      StartupConfig choice = choose_startup_config(*config, default_state_dir(), unattended);
      daemon.config_problem.clear();
      for (const auto& p : choice.problems) {
        env.err << "branchcast run: " << p << "\n";
        daemon.config_problem += (daemon.config_problem.empty() ? "" : "; ") + p;
      }
      settings = load_appliance_or_report(choice.config_path, env);
      if (!settings) return kExitInvalid;
      // The reloader keeps watching the config asked for: a valid sync brings it back.
      if (choice.config_path != *config) settings->path = std::filesystem::absolute(*config).string();
    }
    if (auto next = ContentLease::acquire(settings->content_root)) lease = std::move(next);
    else lease.reset();
    int status = run_appliance(*settings, options, env.clock, env.log, env.out, env.err, daemon, &changed);
    if (status != kRunAgain) return status;
    env.out << "configuration changed: running again with it\n";
  }
}

}  // namespace

int run_appliance(const ApplianceSettings& settings, ScreenLoopOptions options, const Clock& clock,
                  LogSink& log, std::ostream& out, std::ostream& err, const DaemonOptions& daemon_options,
                  std::optional<ApplianceSettings>* changed) {
  // Destroyed in reverse order: the appliance (which joins every worker: feeds, recommender, CEC,
  // telemetry) before the HTTP client and the database its jobs use, and before the loop they post
  // to. Posts that arrive after the loop stopped are dropped and counted (common/event_loop.h).
  auto loop = make_glib_event_loop(clock);
  // The one connection of the loop thread; the screens play whatever the storage does.
  StateDatabase state = options.database_path.empty() ? open_state_database(default_state_dir(), clock.now())
                                                      : open_state_database_file(options.database_path, clock.now());
  std::unique_ptr<HttpClient> http = make_curl_http_client();
  int status = 0;
  bool run_again = false;
  {
    AppliancePorts ports{*loop, *state.db, state.status, http.get(), {}, {}, {}};
    ports.open_radio = [&clock, &log](ble::AddressHasher& hasher) {
      return ble::make_bluez_radio(clock, hasher, Logger(log, "ble"));
    };
    ports.open_mqtt = [] { return make_mosquitto_publisher(); };
    ports.open_cec = [dir = daemon_options.cec_dir](size_t hdmi) -> Result<std::unique_ptr<CecPort>> {
      auto device = CecDevice::open(dir + "/cec" + std::to_string(hdmi));
      if (!device) return device.error();
      return std::unique_ptr<CecPort>(std::move(*device));
    };
    Appliance appliance(settings, clock, log, daemon_options, std::move(ports));
    ScreenLoopPorts screens{*state.db, state.status,
                            [&settings, &log, offscreen = options.force_offscreen](const ScreenSettings& s,
                                                                                  ScheduleInputs inputs) {
                              return open_screen_session(settings, s, std::move(inputs), offscreen, log);
                            }};
    status = run_screens(settings, std::move(options), clock, log, out, err, *loop, std::move(screens),
                         appliance_hooks(appliance, settings));
    run_again = appliance.run_again();
    if (changed) *changed = appliance.next_settings();
  }
  if (uint64_t dropped = loop->dropped_posts())
    Logger(log, "daemon").info("stopped: " + std::to_string(dropped) + " posted event(s) dropped after the loop ended");
  return status == 0 && run_again ? kRunAgain : status;
}

Command run_command() {
  Command c;
  c.name = "run";
  c.summary = "run the appliance: screens, feeds, beacon, presence, notifications";
  c.usage =
      "Usage: branchcast run --config appliance.yaml [--for 30s] [--snapshots DIR] [--record FILE.webm]\n"
      "\n"
      "Plays every screen of the appliance. With no display available it plays offscreen for 30 s\n"
      "and writes snapshots and a recording under the state folder, and says where - unless it runs\n"
      "as a systemd service or with --keep-running: then it runs on without a display (beacon,\n"
      "presence, prompts, telemetry, /healthz note \"no display\") and looks for one with backoff.\n"
      "  --for D          stop after D (500ms, 10s, 15m, 2h)\n"
      "  --snapshots DIR  write a PNG of every screen at each item change\n"
      "  --record F.webm  record the first screen's composited output, frame for frame (VP8)\n"
      "  --keep-running   no display is not a reason to stop (always on as a systemd service)\n"
      "  --require-synced-clock\n"
      "                   play only the default playlists until the system clock has been\n"
      "                   synchronised since boot (always on when run as a systemd service)\n"
      "At exit prints one line per screen: items, transitions, max gap. Proof of play is stored in\n"
      "$BRANCHCAST_STATE_DIR/branchcast.db (table play_log).\n";
  c.valued = {"config", "for", "snapshots", "record"};
  c.flags = {"require-synced-clock", "keep-running"};
  c.run = run_main;
  return c;
}

}  // namespace branchcast
