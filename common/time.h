// Time as a value: instants, durations, and the text forms staff write in YAML.
//
// Cores never read a clock; they receive `now` as a TimePoint. Wall-clock (local) times go through
// TimeZone (common/time_zone.h), the single seam to the system's zone database.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace branchcast {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;
// Monotonic time (Clock::monotonic()): for measuring intervals; never jumps.
using MonoTime = std::chrono::time_point<std::chrono::steady_clock, std::chrono::milliseconds>;
using std::chrono::local_days;
using std::chrono::sys_days;

// A minute of the local day, 0..1440 (1440 only as the end of a window, "24:00").
struct TimeOfDay {
  int minutes = 0;
  auto operator<=>(const TimeOfDay&) const = default;
};

// A local time window [start, end). end < start crosses midnight (22:00-02:00); end 1440 ("24:00")
// ends at midnight, so "00:00-24:00" is the whole day; start == end is not allowed by the parser. A window that crosses midnight belongs to the day it starts on.
struct TimeWindow {
  TimeOfDay start;
  TimeOfDay end;
  bool crosses_midnight() const { return end.minutes < start.minutes; }
  bool operator==(const TimeWindow&) const = default;
};

// "500ms", "10s", "15m", "2h", "7d" (a whole number and one unit). Returns the duration or a
// message saying what is wrong (no place: callers add the file position).
Result<Duration> parse_duration(std::string_view text);
// "HH:MM" 24-hour; "24:00" is accepted only when allow_24 is set (window ends).
Result<TimeOfDay> parse_time_of_day(std::string_view text, bool allow_24 = false);
// "HH:MM-HH:MM".
Result<TimeWindow> parse_time_window(std::string_view text);
// "YYYY-MM-DD", a valid calendar date.
Result<std::chrono::year_month_day> parse_date(std::string_view text);

// "12.0s": seconds with one decimal, as `simulate` prints lengths.
std::string format_seconds(Duration d);
// "10s", "15m", "500ms": the shortest exact unit.
std::string format_duration(Duration d);
std::string format_time_of_day(TimeOfDay t);
std::string format_date(std::chrono::year_month_day d);

}  // namespace branchcast
