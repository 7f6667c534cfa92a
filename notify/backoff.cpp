#include "notify/backoff.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

#include "common/strings.h"

namespace branchcast {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<int> month_index(std::string_view m) {
  std::string low = to_lower(m);
  for (size_t i = 0; i < kMonths.size(); ++i)
    if (low == kMonths[i]) return static_cast<int>(i) + 1;
  return std::nullopt;
}

std::optional<int> number(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<TimePoint> parse_http_date(std::string_view text) {
  // Tokens split on spaces, commas, dashes and colons cover all three forms.
  std::vector<std::string> tok;
  std::string cur;
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '-' || c == ':') {
      if (!cur.empty()) tok.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) tok.push_back(cur);
  std::optional<int> day, month, year, hh, mm, ss;
  if (tok.size() == 8 && to_lower(tok[7]) == "gmt") {  // IMF-fixdate or RFC 850
    day = number(tok[1]);
    month = month_index(tok[2]);
    year = number(tok[3]);
    hh = number(tok[4]);
    mm = number(tok[5]);
    ss = number(tok[6]);
    if (year && *year < 100) *year += *year < 70 ? 2000 : 1900;
  } else if (tok.size() == 7) {  // asctime: Sun Nov  6 08:49:37 1994
    month = month_index(tok[1]);
    day = number(tok[2]);
    hh = number(tok[3]);
    mm = number(tok[4]);
    ss = number(tok[5]);
    year = number(tok[6]);
  }
  if (!day || !month || !year || !hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                                  std::chrono::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  return TimePoint(sys_days(ymd)) + std::chrono::hours(*hh) + std::chrono::minutes(*mm) + std::chrono::seconds(*ss);
}

}  // namespace

Duration full_jitter_delay(const BackoffPolicy& policy, int attempt, double unit) {
  double ceiling = static_cast<double>(policy.base.count()) * std::pow(2.0, std::clamp(attempt, 0, 30));
  ceiling = std::min(ceiling, static_cast<double>(policy.cap.count()));
  unit = std::clamp(unit, 0.0, 1.0);
  return Duration(static_cast<int64_t>(ceiling * unit));
}

std::optional<Duration> parse_retry_after(std::string_view value, TimePoint now) {
  value = trim(value);
  if (auto secs = number(value)) return Duration(static_cast<int64_t>(*secs) * 1000);
  auto at = parse_http_date(value);
  if (!at) return std::nullopt;
  return std::max(Duration(0), std::chrono::duration_cast<Duration>(*at - now));
}

std::string format_http_date(TimePoint t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
  std::chrono::weekday wd{day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02ld:%02ld:%02ld GMT", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonthNames[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()));
  return buf;
}

}  // namespace branchcast
