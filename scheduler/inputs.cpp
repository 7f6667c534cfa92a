#include "scheduler/inputs.h"

namespace branchcast {

Result<ScheduleInputs> schedule_inputs_for_screen(const ApplianceSettings& settings,
                                                  const std::string& screen_id) {
  const ScreenSettings* screen = nullptr;
  std::string known;
  for (const auto& s : settings.screens) {
    if (s.id == screen_id) screen = &s;
    known += (known.empty() ? "" : ", ") + s.id;
  }
  if (!screen)
    return make_error("no screen '" + screen_id + "' in " + settings.path + " (screens: " + known + ")");
  auto playlist = settings.playlists.find(screen_id);
  if (playlist == settings.playlists.end())
    return make_error("screen '" + screen_id + "' has no loaded playlist");
  auto zone = TimeZone::load(settings.branch.timezone);
  if (!zone) return zone.error();
  ScheduleInputs in;
  in.playlist = playlist->second;
  in.zone = *zone;
  in.hours = BranchHours(settings.branch);
  in.branch_name = settings.branch.name;
  in.closures_feed = settings.branch.closures_feed;
  in.power = screen->power;
  return in;
}

}  // namespace branchcast
