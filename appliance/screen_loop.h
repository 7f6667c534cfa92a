// `branchcast run` for the screens: opens every screen, drives them from one GLib loop at the
// display frame rate, writes snapshots / a recording when asked, logs proof of play to SQLite and
// prints one summary line per screen at exit. Feeds, beacon and presence are wired by later issues.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "common/clock.h"
#include "common/log.h"
#include "config/settings.h"

namespace branchcast {

struct ScreenLoopOptions {
  std::optional<Duration> run_for;   // stop after this long (nullopt: until SIGINT/SIGTERM)
  std::string snapshots_dir;         // "" = no snapshots
  std::string record_path;           // "" = no recording (first screen only)
  std::string database_path;         // proof of play; "" = default_state_dir()/branchcast.db
  bool force_offscreen = false;
  int fps = 30;
};

// Runs until done; returns the exit status (0, or 1 when a screen could not start).
// Messages for people go to `out`/`err`; diagnostics to the log.
int run_screens(const ApplianceSettings& settings, ScreenLoopOptions options, const Clock& clock,
                LogSink& log, std::ostream& out, std::ostream& err);

}  // namespace branchcast
