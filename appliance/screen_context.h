// What the offline commands (simulate, preview, recommend) need to know about one screen: the
// loaded settings, its ScheduleInputs (with media lengths when they can be probed) and the events
// of the branch's local (file:) feeds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "appliance/commands.h"
#include "config/settings.h"
#include "scheduler/scheduler.h"

namespace branchcast {

struct ScreenContext {
  ApplianceSettings settings;
  ScheduleInputs inputs;
  // Events of every feed whose data can be read without the network (file: feeds), from a day
  // before `from` to 31 days after `to` (so `within` and `before_event` look-aheads see them).
  // Feeds that cannot be read are skipped with a note on `notes` (when given).
  std::vector<CatalogueEvent> events_between(TimePoint from, TimePoint to, std::ostream* notes = nullptr) const;
};

// Loads and validates `config_path`; prints every error (compiler style) to env.err and returns
// nullopt on failure.
std::optional<ScreenContext> load_screen_context(const std::string& config_path,
                                                 const std::string& screen_id, CommandEnv& env);

// Loads and validates `config_path`; prints every error to env.err and returns nullopt on failure.
std::optional<ApplianceSettings> load_appliance_or_report(const std::string& config_path, CommandEnv& env);

// "empty" | "some" | "busy"; absent = empty.
Result<PresenceLevel> parse_presence_option(const std::optional<std::string>& value);

}  // namespace branchcast
