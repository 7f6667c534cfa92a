// `branchcast run`: the whole appliance on one GLib loop. run_appliance (appliance/cmd_run.cpp,
// the composition root) opens the state database once, makes every adapter (GLib loop, curl,
// BlueZ, mosquitto, HDMI-CEC, SDL/GStreamer screens), builds the Appliance from them
// (appliance/appliance.h: feeds, beacon and presence, prompts, CEC power, telemetry, health,
// watchdog, override, config reload) and runs the screens' loop (appliance/screen_loop.h) with it.
//
// Optional parts degrade: no Bluetooth, no network or a health port in use are logged and the
// screens play on.
#pragma once

#include <ostream>

#include "appliance/appliance.h"
#include "appliance/screen_loop.h"
#include "common/clock.h"
#include "common/log.h"
#include "config/settings.h"

namespace branchcast {

// Runs until done. Returns 0, 1 when a screen could not start, or kRunAgain after a valid
// configuration change that needs the screens restarted (appliance/config_change.h; the reloader
// has already validated it: given `changed`, it receives those settings) or when a display was
// found (`changed` left empty). A change that can be applied in place is, without returning.
// The state database is options.database_path when set, else default_state_dir()/branchcast.db.
int run_appliance(const ApplianceSettings& settings, ScreenLoopOptions options, const Clock& clock,
                  LogSink& log, std::ostream& out, std::ostream& err, const DaemonOptions& daemon = {},
                  std::optional<ApplianceSettings>* changed = nullptr);

}  // namespace branchcast
