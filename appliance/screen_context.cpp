#include "appliance/screen_context.h"

#include <ostream>

#include "appliance/local_feeds.h"
#include "config/loader.h"
#include "media/gst_player.h"
#include "scheduler/inputs.h"

namespace branchcast {

std::vector<CatalogueEvent> ScreenContext::events_between(TimePoint from, TimePoint to, std::ostream* notes) const {
  return load_local_catalogue(settings, inputs.zone, from - std::chrono::days(1), to + std::chrono::days(31), notes)
      .events;
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
  return ScreenContext{std::move(*settings), std::move(*inputs)};
}

Result<PresenceLevel> parse_presence_option(const std::optional<std::string>& value) {
  if (!value || *value == "empty") return PresenceLevel::kEmpty;
  if (*value == "some") return PresenceLevel::kSome;
  if (*value == "busy") return PresenceLevel::kBusy;
  return make_error("--presence must be empty, some or busy");
}

}  // namespace branchcast
