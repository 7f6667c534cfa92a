#include "media/card.h"

#include <cstdio>

#include "feeds/event_selection.h"
#include "media/image_cache.h"

namespace branchcast {
namespace {

constexpr size_t kMaxCardBytes = 4000;
constexpr const char* kEllipsis = "\xE2\x80\xA6";

// Length in bytes of the UTF-8 character starting at s[i], or 0 if invalid there.
size_t utf8_len(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

std::vector<std::string> split_chars(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_len(s, i);
    if (n == 0) n = 1;
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// A local picture as given; a feed's http(s) picture as its cache file (when a cache is given).
void set_image(CardContent& c, const std::string& image, const std::string& cache_dir) {
  if (!image.empty() && image.front() == '/') {
    c.image = image;
  } else if (!cache_dir.empty() && is_web_url(image)) {
    c.image = ImageCache::path_for(cache_dir, image);
    c.image_optional = true;
  }
}

}  // namespace

std::string subscribe_url(const std::string& topic) {
  if (topic.rfind("ntfys://", 0) == 0) return "https://" + topic.substr(8);
  if (topic.rfind("ntfy://", 0) == 0) return "http://" + topic.substr(7);
  return topic;
}

std::string event_when_text(const CatalogueEvent& e, TimePoint now, const TimeZone& zone) {
  std::string countdown = countdown_text(e, now, zone);
  if (!e.all_day && e.start > now && e.start - now <= std::chrono::minutes(60))
    return start_day_text(e, now, zone) + " \xC2\xB7 " + countdown;
  return countdown;
}

CardContent card_for(const Showing& showing, TimePoint now, const TimeZone& zone,
                     const std::string& nearby_topic, const std::string& image_cache_dir) {
  CardContent c;
  if (showing.mode == ShowingMode::kOverride) {
    c.style = CardStyle::kOverride;
    c.label = "Notice";
    c.title = sanitize_utf8(showing.text, kMaxCardBytes);
    return c;
  }
  switch (showing.kind) {
    case ItemKind::kEvents:
      c.style = CardStyle::kEvent;
      c.label = "What's on";
      if (showing.event) {
        const CatalogueEvent& e = *showing.event;
        c.title = sanitize_utf8(e.title, kMaxCardBytes);
        c.when = event_when_text(e, now, zone);
        c.room = sanitize_utf8(e.location, 200);
        c.body = sanitize_utf8(e.description, kMaxCardBytes);
        set_image(c, e.image, image_cache_dir);
      }
      break;
    case ItemKind::kRecommended:
      c.style = CardStyle::kRecommended;
      c.label = "Recommended";
      if (showing.recommendation) {
        c.title = sanitize_utf8(showing.recommendation->title, kMaxCardBytes);
        c.body = sanitize_utf8(showing.recommendation->subtitle, kMaxCardBytes);
        set_image(c, showing.recommendation->image, image_cache_dir);
      }
      break;
    case ItemKind::kNearby:
      c.style = CardStyle::kNearby;
      c.label = "Nearby";
      c.title = "Get reminders while you are here";
      c.body = "Scan the code to subscribe to this branch's prompts. No account needed.";
      c.qr_text = subscribe_url(nearby_topic);
      break;
    default:
      c.style = CardStyle::kText;
      c.label = "";
      c.title = sanitize_utf8(showing.item ? showing.item->text : showing.text, kMaxCardBytes);
      break;
  }
  return c;
}

CardContent standby_card(const Showing& standby, const TimeZone& zone) {
  CardContent c;
  c.style = CardStyle::kStandby;
  const std::string reason = standby.ref.rfind("closed: ", 0) == 0 ? standby.ref : "power";
  if (standby.wakes == TimePoint::max()) {
    c.title = "standby (" + reason + ")";
    return c;
  }
  const LocalTime wake = zone.to_local(standby.wakes);
  std::string when = format_time_of_day(TimeOfDay{wake.minute_of_day()});
  if (standby.wakes - standby.start >= std::chrono::hours(24)) {  // the bare time would be ambiguous
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const std::chrono::year_month_day ymd{wake.date};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    when = std::string(kDays[wake.weekday().c_encoding()]) + " " + std::to_string(unsigned(ymd.day())) + " " +
           kMonths[unsigned(ymd.month()) - 1] + " " + when;
  }
  c.title = "standby until " + when + " (" + reason + ")";
  return c;
}

std::string sanitize_utf8(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8_len(text, i);
    std::string_view ch = n ? text.substr(i, n) : std::string_view("\xEF\xBF\xBD");
    if (n == 1 && static_cast<unsigned char>(text[i]) < 0x20 && text[i] != '\n') ch = " ";
    if (out.size() + ch.size() > max_bytes) break;
    out += ch;
    i += n ? n : 1;
  }
  return out;
}

std::vector<WrappedLine> wrap_text(std::string_view text, int max_width, int max_lines,
                                   const std::function<int(std::string_view)>& width_of) {
  std::vector<WrappedLine> lines;
  if (max_lines <= 0 || max_width <= 0) return lines;
  std::string clean = sanitize_utf8(text, kMaxCardBytes);
  // Tokens: words separated by spaces; '\n' forces a break.
  std::vector<std::string> words;
  std::string cur;
  for (char ch : clean) {
    if (ch == ' ' || ch == '\n') {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
      if (ch == '\n') words.emplace_back("\n");
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));

  bool truncated = false;
  std::string line;
  int paragraph = 0;
  auto flush = [&] {
    if (static_cast<int>(lines.size()) >= max_lines) {
      truncated = true;
      return;
    }
    lines.push_back({line, paragraph});
    line.clear();
  };
  for (const std::string& w : words) {
    if (truncated) break;
    if (w == "\n") {
      flush();
      ++paragraph;
      continue;
    }
    std::string candidate = line.empty() ? w : line + " " + w;
    if (width_of(candidate) <= max_width) {
      line = std::move(candidate);
      continue;
    }
    if (!line.empty()) flush();
    if (truncated) break;
    if (width_of(w) <= max_width) {
      line = w;
      continue;
    }
    for (const std::string& ch : split_chars(w)) {  // break an over-long word
      if (!line.empty() && width_of(line + ch) > max_width) {
        flush();
        if (truncated) break;
      }
      line += ch;
    }
  }
  if (!truncated && !line.empty()) flush();
  if (truncated && !lines.empty()) {
    std::string& last = lines.back().text;
    auto chars = split_chars(last);
    while (!chars.empty()) {
      std::string joined;
      for (const auto& c : chars) joined += c;
      while (!joined.empty() && joined.back() == ' ') joined.pop_back();
      if (width_of(joined + kEllipsis) <= max_width) {
        last = joined + kEllipsis;
        return lines;
      }
      chars.pop_back();
    }
    last = kEllipsis;
  }
  return lines;
}

}  // namespace branchcast
