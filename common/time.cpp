#include "common/time.h"

#include <charconv>
#include <cstdio>

namespace branchcast {
namespace {

bool parse_int(std::string_view s, long long& out) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::string_view unit = text.substr(digits);
  long long n = 0;
  if (digits == 0 || !parse_int(text.substr(0, digits), n))
    return make_error("invalid duration '" + std::string(text) +
                      "' (expected a whole number and a unit: 500ms, 10s, 15m, 2h, 7d)");
  long long ms_per = 0;
  if (unit == "ms") ms_per = 1;
  else if (unit == "s") ms_per = 1000;
  else if (unit == "m") ms_per = 60'000;
  else if (unit == "h") ms_per = 3'600'000;
  else if (unit == "d") ms_per = 86'400'000;
  else
    return make_error("invalid duration '" + std::string(text) +
                      "' (unit must be ms, s, m, h or d)");
  constexpr long long kMaxMs = 366LL * 86'400'000LL * 10;  // ten years is plenty for any setting
  if (n > kMaxMs / ms_per) return make_error("duration '" + std::string(text) + "' is too long");
  return Duration(n * ms_per);
}

Result<TimeOfDay> parse_time_of_day(std::string_view text, bool allow_24) {
  long long h = 0, m = 0;
  if (text.size() != 5 || text[2] != ':' || !parse_int(text.substr(0, 2), h) ||
      !parse_int(text.substr(3, 2), m))
    return make_error("invalid time '" + std::string(text) + "' (expected HH:MM, 24-hour)");
  if (allow_24 && h == 24 && m == 0) return TimeOfDay{1440};
  if (h > 23 || m > 59)
    return make_error("invalid time '" + std::string(text) + "' (hours 00-23, minutes 00-59)");
  return TimeOfDay{static_cast<int>(h * 60 + m)};
}

Result<TimeWindow> parse_time_window(std::string_view text) {
  auto dash = text.find('-');
  if (dash == std::string_view::npos)
    return make_error("invalid time window '" + std::string(text) + "' (expected HH:MM-HH:MM)");
  auto start = parse_time_of_day(text.substr(0, dash));
  if (!start) return start.error();
  auto end = parse_time_of_day(text.substr(dash + 1), true);
  if (!end) return end.error();
  if (start->minutes == end->minutes)
    return make_error("time window '" + std::string(text) + "' is empty (start equals end)");
  return TimeWindow{*start, *end};  // "18:00-24:00" keeps end 1440: it ends at midnight
}

Result<std::chrono::year_month_day> parse_date(std::string_view text) {
  long long y = 0, mo = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !parse_int(text.substr(0, 4), y) ||
      !parse_int(text.substr(5, 2), mo) || !parse_int(text.substr(8, 2), d))
    return make_error("invalid date '" + std::string(text) + "' (expected YYYY-MM-DD)");
  std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(y)),
                                  std::chrono::month(static_cast<unsigned>(mo)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return make_error("invalid date '" + std::string(text) + "' (no such day)");
  return ymd;
}

std::string format_seconds(Duration d) {
  long long tenths = (d.count() + (d.count() >= 0 ? 50 : -50)) / 100;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%lld.%llds", tenths < 0 ? "-" : "",
                (tenths < 0 ? -tenths : tenths) / 10, (tenths < 0 ? -tenths : tenths) % 10);
  return buf;
}

std::string format_duration(Duration d) {
  long long ms = d.count();
  struct Unit { long long ms; const char* name; };
  for (Unit u : {Unit{86'400'000, "d"}, Unit{3'600'000, "h"}, Unit{60'000, "m"}, Unit{1000, "s"}})
    if (ms != 0 && ms % u.ms == 0) return std::to_string(ms / u.ms) + u.name;
  return std::to_string(ms) + "ms";
}

std::string format_time_of_day(TimeOfDay t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", t.minutes / 60, t.minutes % 60);
  return buf;
}

std::string format_date(std::chrono::year_month_day d) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

}  // namespace branchcast
