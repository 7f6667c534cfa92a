#include "appliance/screen_context.h"

#include <ostream>

#include "config/loader.h"
#include "media/gst_player.h"
#include "scheduler/inputs.h"

namespace branchcast {

SimulatedContext ScreenContext::simulated(const SimulationFlags& flags, TimePoint start, std::ostream* notes) const {
  return with_catalogue(load_feeds_as_run(settings, inputs.zone, start, notes), flags, start);
}

SimulatedContext ScreenContext::with_catalogue(Catalogue catalogue, const SimulationFlags& flags, TimePoint start) const {
  const ScreenSettings* screen = &settings.screens.front();
  for (const auto& s : settings.screens)
    if (s.id == screen_id) screen = &s;
  return SimulatedContext(settings, *screen, inputs.playlist, std::move(catalogue), flags, start);
}

Result<SimulationFlags> simulation_flags(const Args& args, const TimeZone& zone) {
  SimulationFlags flags;
  auto presence = parse_presence_option(args.get("presence"));
  if (!presence) return presence.error();
  flags.presence = *presence;
  if (auto o = args.get("override")) {
    auto parsed = parse_override_option(*o, zone);
    if (!parsed) return parsed.error();
    flags.override_ = std::move(*parsed);
  }
  return flags;
}

std::optional<ApplianceSettings> load_appliance_or_report(const std::string& config_path, CommandEnv& env) {
  auto loaded = load_appliance(config_path);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) env.err << e.to_string() << "\n";
    return std::nullopt;
  }
  return std::move(*loaded.settings);
}

std::optional<ScreenContext> load_screen_context(const std::string& config_path,
                                                 const std::string& screen_id, CommandEnv& env) {
  auto settings = load_appliance_or_report(config_path, env);
  if (!settings) return std::nullopt;
  auto inputs = schedule_inputs_for_screen(*settings, screen_id);
  if (!inputs) {
    env.err << "branchcast: " << inputs.error().message << "\n";
    return std::nullopt;
  }
  // Video lengths from GStreamer, so simulate, preview and run agree on the timeline.
  inputs->media_length = gst_media_length_prober();
  return ScreenContext{std::move(*settings), screen_id, std::move(*inputs)};
}

Result<PresenceLevel> parse_presence_option(const std::optional<std::string>& value) {
  if (!value || *value == "empty") return PresenceLevel::kEmpty;
  if (*value == "some") return PresenceLevel::kSome;
  if (*value == "busy") return PresenceLevel::kBusy;
  return make_error("--presence must be empty, some or busy");
}

}  // namespace branchcast
