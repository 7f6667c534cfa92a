// Pure card design: what an event, recommendation, text or nearby card says, and how its text
// wraps. The SDL_ttf adapter (sdl_card_renderer) only draws what this decides.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_zone.h"
#include "scheduler/scheduler.h"

namespace branchcast {

enum class CardStyle { kText, kEvent, kRecommended, kNearby, kOverride, kStandby };

struct CardContent {
  CardStyle style = CardStyle::kText;
  std::string label;     // small heading: "What's on", "Recommended", "Notice", ...
  std::string title;     // large type
  std::string when;      // "Today 10:30 · Starts in 12 min"
  std::string room;
  std::string body;      // subtitle, description or the text item itself
  std::string image;     // local image path, "" for none
  bool image_optional = false;  // a feed picture's cache file: missing is normal (text-only card)
  std::string qr_text;   // nearby cards: what the QR code encodes
};

// An event card's time line: countdown_text (feeds/event_selection.h), with the start in front
// while it counts down within the hour: "Today 10:30 · Starts in 12 min", "Now until 11:00",
// "Tomorrow 09:05", "Sat 10:00", "Wed 4 Mar" (all-day).
std::string event_when_text(const CatalogueEvent& e, TimePoint now, const TimeZone& zone);

// The web address a phone opens for a visit-subscription topic (Apprise-style: ntfys:// is
// https, ntfy:// is http); other URLs unchanged.
std::string subscribe_url(const std::string& topic);

// The card for a showing that is not image/video (text, events, recommended, nearby, override).
// `nearby_topic` is the subscription URL a nearby card's QR encodes. An event's or title's picture
// is its local path as given, or for an http(s) URL its file in `image_cache_dir`
// (media/image_cache.h, marked image_optional: drawn when the cache has it, else the card is
// text-only); "" leaves remote pictures out.
CardContent card_for(const Showing& showing, TimePoint now, const TimeZone& zone,
                     const std::string& nearby_topic, const std::string& image_cache_dir = "");

// What a screen in a desktop window shows in standby (a panel stays black so a TV can sleep): a
// dim card "standby until 08:45 (power)", the time being when the power window opens again
// (Showing::wakes, in `zone`; with its day when it is a day or more away), the reason
// being "closed: <name>" on a closure day; "standby (power)" when the wake time is not known.
CardContent standby_card(const Showing& standby, const TimeZone& zone);

// Valid UTF-8 of at most max_bytes (invalid sequences become U+FFFD, cut on a character boundary).
std::string sanitize_utf8(std::string_view text, size_t max_bytes);

// One line of wrapped text, in logical (typed) order, and which '\n'-separated paragraph of the
// input it belongs to (0, 1, ...): a paragraph's lines share one reading direction.
struct WrappedLine {
  std::string text;
  int paragraph = 0;
  bool operator==(const WrappedLine&) const = default;
};

// Word-wraps `text` into at most max_lines lines no wider than max_width as measured by `width_of`
// (pixels of a UTF-8 string). Words wider than a line are broken between characters. If the text
// does not fit, the last line ends in "…". Never returns a line wider than max_width unless a single
// character is. Input is capped at 4 000 bytes first, so cost is bounded. Wrapping is in logical
// order; a renderer reorders each line for display (media/fribidi_text.h) after wrapping, with
// `width_of` measuring the reordered line, so the drawn line is never wider than measured.
std::vector<WrappedLine> wrap_text(std::string_view text, int max_width, int max_lines,
                                   const std::function<int(std::string_view)>& width_of);

}  // namespace branchcast
