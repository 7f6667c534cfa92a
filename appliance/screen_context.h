// What the offline commands (simulate, preview, schedule) need to know about one screen: the
// loaded settings and its ScheduleInputs (with media lengths probed, as `run` has them), and the
// context `run` would give its scheduler (appliance/screen_inputs.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "appliance/args.h"
#include "appliance/commands.h"
#include "appliance/screen_inputs.h"
#include "config/settings.h"
#include "scheduler/scheduler.h"

namespace branchcast {

struct ScreenContext {
  ApplianceSettings settings;
  std::string screen_id;
  ScheduleInputs inputs;
  // What `run` started at `start` would tell this screen's scheduler (feeds as `run` loads them,
  // the screen's picks, and the flags' presence and override). Feed problems are noted on `notes`.
  // Loads the feeds on every call: reuse the result (with_catalogue) for several starts.
  SimulatedContext simulated(const SimulationFlags& flags, TimePoint start, std::ostream* notes) const;
  SimulatedContext with_catalogue(Catalogue catalogue, const SimulationFlags& flags, TimePoint start) const;
};

// --presence and --override as simulate, preview and schedule take them (times in `zone`).
Result<SimulationFlags> simulation_flags(const Args& args, const TimeZone& zone);
// The lines `--help` gives for them.
inline constexpr const char* kSimulationFlagsHelp = R"(
Feeds are read as `run` reads them: each feed's cached copy in $BRANCHCAST_STATE_DIR, or fetched
when it has none; they reach the screen right after the start (as in `run`: from the end of the
first item on) and recommendations are ranked as `run` ranks them.
What cannot be known ahead comes from flags:
  --presence empty|some|busy   the presence level near the screen (default empty: no Bluetooth
                               counter has seen anyone)
  --override "TEXT"[@T..T]     an emergency override (`branchcast override`) in force from the
                               first T (default: the start) to the second (default: until
                               cleared); either end may be left out
)";

// Loads and validates `config_path`; prints every error (compiler style) to env.err and returns
// nullopt on failure.
std::optional<ScreenContext> load_screen_context(const std::string& config_path,
                                                 const std::string& screen_id, CommandEnv& env);

// Loads and validates `config_path`; prints every error to env.err and returns nullopt on failure.
std::optional<ApplianceSettings> load_appliance_or_report(const std::string& config_path, CommandEnv& env);

// "empty" | "some" | "busy"; absent = empty.
Result<PresenceLevel> parse_presence_option(const std::optional<std::string>& value);

}  // namespace branchcast
