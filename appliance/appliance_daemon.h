// `branchcast run`: the whole appliance on one GLib loop. The screens (appliance/screen_loop.h)
// own the loop; this composition root adds the feeds (FeedService: events and recommendations to
// every screen's scheduler), the BLE beacon and presence counter (BlueZ; levels to the
// schedulers, counts to SQLite) and the daemon services (health endpoint, systemd notify and
// watchdog, emergency override pick-up, config reload).
//
// Optional parts degrade: no Bluetooth, no network or a health port in use are logged and the
// screens play on.
#pragma once

#include <ostream>
#include <string>

#include "appliance/screen_loop.h"
#include "common/clock.h"
#include "common/log.h"
#include "config/settings.h"

namespace branchcast {

// Exit status asking the caller to load the (changed, validated) configuration and run again.
inline constexpr int kRunAgain = -1;

// Where the daemon reads the OS state it trusts; tests and benchmarks point it at scratch folders.
struct DaemonOptions {
  std::string system_root = "/";   // timesyncd's marker and the sysfs sensors under it
  bool kernel_clock_state = true;  // also trust ntp_adjtime()'s STA_UNSYNC (tests: false)
  std::string cec_dir = "/dev";    // screen i (settings order) uses <cec_dir>/cec<i>
  // Clock trust (issue 7): when true, the schedules play the default playlists until the clock
  // has been synchronised since boot. `branchcast run` sets it when it runs unattended (as a
  // systemd service, or with --require-synced-clock); at a terminal the operator's clock is
  // trusted and an unsynchronised clock is only warned about.
  bool require_synced_clock = true;
  // `run` started on a fallback (services/content_versions.h): why, for /healthz ("" = none).
  std::string config_problem;
};

// Runs until done. Returns 0, 1 when a screen could not start, or kRunAgain after a valid
// configuration change (the reloader has already validated it).
int run_appliance(const ApplianceSettings& settings, ScreenLoopOptions options, const Clock& clock,
                  LogSink& log, std::ostream& out, std::ostream& err, const DaemonOptions& daemon = {});

}  // namespace branchcast
