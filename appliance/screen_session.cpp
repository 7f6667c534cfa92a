#include "appliance/screen_session.h"

#include <memory>
#include <stdexcept>

#include "media/image_cache.h"
#include "media/still_image.h"
#include "store/database.h"

namespace branchcast {
namespace {

// Every screen that may open a window (all but those set to offscreen or kms) gets its own place
// side by side on the desktop, in the order of appliance.yaml.
WindowSlot window_slot(const ApplianceSettings& settings, const std::string& screen_id) {
  WindowSlot slot;
  for (const ScreenSettings& s : settings.screens) {
    if (s.output == OutputKind::kOffscreen || s.output == OutputKind::kKms) continue;
    if (s.id == screen_id) slot.index = static_cast<int>(slot.outputs.size());
    slot.outputs.push_back(output_size(s));
  }
  return slot;
}

}  // namespace

Result<std::unique_ptr<ScreenSession>> open_screen_session(const ApplianceSettings& settings,
                                                           const ScreenSettings& screen,
                                                           ScheduleInputs inputs,
                                                           bool force_offscreen, LogSink& log) {
  if (!inputs.media_length) inputs.media_length = gst_media_length_prober();
  auto session = std::make_unique<ScreenSession>();
  session->screen = screen;
  if (force_offscreen) session->screen.output = OutputKind::kOffscreen;
  Logger logger(log, "screen." + screen.id);
  const std::string pictures = image_cache_dir(default_state_dir());  // written by FeedPictures
  auto display = SdlDisplay::open(session->screen, logger.child("display"), window_slot(settings, screen.id));
  if (!display) return display.error();
  session->display = std::move(*display);
  try {
    session->player = std::make_unique<GstPlayer>(logger.child("player"));
    // Feed pictures come decoded and scaled from the image cache (a plain read of a file the
    // appliance wrote, no decoder on the loop); a card's local picture is read beneath
    // content_root like every playlist file: never through a link, never from elsewhere.
    session->cards = std::make_unique<SdlCardRenderer>(
        logger.child("cards"), CardFonts{},
        [root = settings.content_root, cache = pictures + "/"](
            const std::string& path) -> Result<RgbaImage> {
          if (path.compare(0, cache.size(), cache) == 0) return read_rgba_file(path);
          return gst_read_image_beneath(root, path);
        });
  } catch (const std::exception& e) {
    return make_error("screen " + screen.id + ": " + e.what());
  }
  TimeZone zone = inputs.zone;
  TransitionSettings transition = inputs.playlist.transition;
  session->scheduler = std::make_unique<Scheduler>(std::move(inputs));
  ScreenRunnerOptions options;
  options.screen_id = screen.id;
  options.transition = transition;
  options.nearby_topic = settings.notifications.nearby_topic.value_or("");
  options.standby_card = session->display->is_window();
  options.image_cache_dir = pictures;
  session->runner = std::make_unique<ScreenRunner>(options, *session->scheduler, *session->player,
                                                   *session->cards, *session->display, zone, logger);
  return session;
}

}  // namespace branchcast
