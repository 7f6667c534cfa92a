#include "appliance/commands.h"
#include "appliance/appliance_daemon.h"
#include "appliance/screen_context.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>

#include "services/content_sync.h"
#include "services/content_versions.h"
#include "store/database.h"

namespace branchcast {
namespace {

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
  for (;;) {
    // An invalid synced `current` falls back to the newest valid version, then to a card naming
    // the problem (services/content_versions.h).
    StartupConfig choice = choose_startup_config(*config, default_state_dir(), unattended);
    daemon.config_problem.clear();
    for (const auto& p : choice.problems) {
      env.err << "branchcast run: " << p << "\n";
      daemon.config_problem += (daemon.config_problem.empty() ? "" : "; ") + p;
    }
    auto settings = load_appliance_or_report(choice.config_path, env);
    if (!settings) return kExitInvalid;
    // The reloader keeps watching the config asked for: a valid sync brings it back.
    if (choice.config_path != *config) settings->path = std::filesystem::absolute(*config).string();
    if (auto next = ContentLease::acquire(settings->content_root)) lease = std::move(next);
    else lease.reset();
    int status = run_appliance(*settings, options, env.clock, env.log, env.out, env.err, daemon);
    if (status != kRunAgain) return status;
    env.out << "configuration changed: running again with it\n";
  }
}

}  // namespace

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
