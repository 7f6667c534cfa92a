#include "feeds/feed_dates.h"

#include <cctype>
#include <string>

#include "common/strings.h"

namespace branchcast {
namespace {

using namespace std::chrono;

// Reads up to `max` digits at s[i]; false when there are fewer than `min`.
bool number(std::string_view s, size_t& i, size_t min, size_t max, int& out) {
  size_t start = i;
  long v = 0;
  while (i < s.size() && i - start < max && std::isdigit(static_cast<unsigned char>(s[i])))
    v = v * 10 + (s[i++] - '0');
  out = static_cast<int>(v);
  return i - start >= min;
}

void skip_spaces(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
}

std::optional<TimePoint> make_time(int y, int mo, int d, int h, int mi, int sec, int ms, long offset_s) {
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 24 || mi > 59 || sec > 60 || y < 1 || y > 9999) return std::nullopt;
  if (sec == 60) sec = 59;  // leap second
  auto t = sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) + milliseconds(ms);
  return TimePoint(duration_cast<Duration>(t.time_since_epoch()) - duration_cast<Duration>(seconds(offset_s)));
}

// "+0100", "-05:00", "GMT", "EST", ... -> seconds east of UTC.
std::optional<long> zone_offset(std::string_view z) {
  z = trim(z);
  if (z.empty()) return 0;  // RFC 822 requires a zone; missing is taken as UTC
  if (z[0] == '+' || z[0] == '-') {
    std::string digits;
    for (char c : z.substr(1))
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
      else if (c != ':') return std::nullopt;
    if (digits.size() != 4 && digits.size() != 2) return std::nullopt;
    long h = std::stol(digits.substr(0, 2)), m = digits.size() == 4 ? std::stol(digits.substr(2, 2)) : 0;
    if (h > 23 || m > 59) return std::nullopt;
    return (z[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
  }
  std::string u = to_lower(z);
  struct Named { const char* name; long hours; };
  static const Named kNames[] = {{"gmt", 0}, {"ut", 0}, {"utc", 0}, {"z", 0}, {"est", -5}, {"edt", -4},
                                 {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7},
                                 {"bst", 1}, {"cet", 1}, {"cest", 2}};
  for (const auto& n : kNames)
    if (u == n.name) return n.hours * 3600;
  if (u.size() == 1 && std::isalpha(static_cast<unsigned char>(u[0]))) return 0;  // military: RFC 2822 says treat as UTC
  return std::nullopt;
}

}  // namespace

std::optional<TimePoint> parse_rfc822_date(std::string_view text) {
  std::string_view s = trim(text);
  size_t i = 0;
  // Optional day name.
  if (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) {
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    skip_spaces(s, i);
  }
  int d = 0, y = 0, h = 0, mi = 0, sec = 0;
  if (!number(s, i, 1, 2, d)) return std::nullopt;
  skip_spaces(s, i);
  size_t m_start = i;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  std::string mon = to_lower(s.substr(m_start, i - m_start)).substr(0, 3);
  static const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
  int mo = 0;
  for (int k = 0; k < 12; ++k)
    if (mon == kMonths[k]) mo = k + 1;
  if (mo == 0) return std::nullopt;
  skip_spaces(s, i);
  size_t y_start = i;
  if (!number(s, i, 2, 4, y)) return std::nullopt;
  if (i - y_start == 2) y += y < 50 ? 2000 : 1900;
  skip_spaces(s, i);
  if (i < s.size()) {
    if (!number(s, i, 1, 2, h) || i >= s.size() || s[i] != ':') return std::nullopt;
    ++i;
    if (!number(s, i, 2, 2, mi)) return std::nullopt;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!number(s, i, 2, 2, sec)) return std::nullopt;
    }
  }
  auto off = zone_offset(s.substr(i));
  if (!off) return std::nullopt;
  return make_time(y, mo, d, h, mi, sec, 0, *off);
}

std::optional<TimePoint> parse_rfc3339_date(std::string_view text, const TimeZone& floating) {
  std::string_view s = trim(text);
  size_t i = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (!number(s, i, 4, 4, y) || i >= s.size() || s[i++] != '-' || !number(s, i, 2, 2, mo) ||
      i >= s.size() || s[i++] != '-' || !number(s, i, 2, 2, d))
    return std::nullopt;
  if (i == s.size()) {
    year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
    if (!ymd.ok()) return std::nullopt;
    return floating.from_local(local_days(ymd), Duration(0));
  }
  if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return std::nullopt;
  ++i;
  if (!number(s, i, 2, 2, h) || i >= s.size() || s[i++] != ':' || !number(s, i, 2, 2, mi)) return std::nullopt;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!number(s, i, 2, 2, sec)) return std::nullopt;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      size_t f = i;
      int frac = 0;
      if (!number(s, i, 1, 3, frac)) return std::nullopt;
      for (size_t k = i - f; k < 3; ++k) frac *= 10;
      ms = frac;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    }
  }
  std::string_view zone = s.substr(i);
  if (zone.empty()) {
    year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
    return floating.from_local(local_days(ymd), hours(h) + minutes(mi) + seconds(sec) + milliseconds(ms));
  }
  auto off = zone_offset(zone);
  if (!off) return std::nullopt;
  return make_time(y, mo, d, h, mi, sec, ms, *off);
}

std::optional<TimePoint> parse_feed_date(std::string_view text, const TimeZone& floating) {
  if (auto t = parse_rfc3339_date(text, floating)) return t;
  return parse_rfc822_date(text);
}

}  // namespace branchcast
