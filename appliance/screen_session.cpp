#include "appliance/screen_session.h"

#include <map>
#include <memory>
#include <stdexcept>

namespace branchcast {

Result<ScheduleInputs> schedule_inputs(const ApplianceSettings& settings, const ScreenSettings& screen) {
  auto playlist = settings.playlists.find(screen.id);
  if (playlist == settings.playlists.end()) return make_error("screen " + screen.id + " has no playlist");
  auto zone = TimeZone::load(settings.branch.timezone);
  if (!zone) return zone.error();
  ScheduleInputs in;
  in.playlist = playlist->second;
  in.zone = *zone;
  in.hours = settings.branch.opening_hours;
  in.hours_given = settings.branch.opening_hours_given;
  in.power = screen.power;
  auto cache = std::make_shared<std::map<std::string, std::optional<Duration>>>();
  in.media_length = [cache](const PlaylistItem& item) -> std::optional<Duration> {
    if (item.kind != ItemKind::kVideo) return std::nullopt;
    auto it = cache->find(item.resolved);
    if (it == cache->end()) it = cache->emplace(item.resolved, gst_media_length(item.resolved)).first;
    return it->second;
  };
  return in;
}

Result<std::unique_ptr<ScreenSession>> open_screen_session(const ApplianceSettings& settings,
                                                           const ScreenSettings& screen,
                                                           bool force_offscreen, LogSink& log) {
  auto inputs = schedule_inputs(settings, screen);
  if (!inputs) return inputs.error();
  auto session = std::make_unique<ScreenSession>();
  session->screen = screen;
  if (force_offscreen) session->screen.output = OutputKind::kOffscreen;
  Logger logger(log, "screen." + screen.id);
  auto display = SdlDisplay::open(session->screen, logger.child("display"));
  if (!display) return display.error();
  session->display = std::move(*display);
  try {
    session->player = std::make_unique<GstPlayer>(logger.child("player"));
    session->cards = std::make_unique<SdlCardRenderer>(logger.child("cards"), CardFonts{}, gst_read_image);
  } catch (const std::exception& e) {
    return make_error("screen " + screen.id + ": " + e.what());
  }
  TimeZone zone = inputs->zone;
  TransitionSettings transition = inputs->playlist.transition;
  session->scheduler = std::make_unique<Scheduler>(std::move(*inputs));
  ScreenRunnerOptions options;
  options.screen_id = screen.id;
  options.transition = transition;
  options.nearby_topic = settings.notifications.nearby_topic.value_or("");
  session->runner = std::make_unique<ScreenRunner>(options, *session->scheduler, *session->player,
                                                   *session->cards, *session->display, zone, logger);
  return session;
}

}  // namespace branchcast
