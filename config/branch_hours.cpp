#include "config/branch_hours.h"

#include <algorithm>

namespace branchcast {
namespace {

using std::chrono::days;
constexpr Duration kDay = std::chrono::hours(24);

int iso_index(local_days d) { return static_cast<int>(std::chrono::weekday{d}.iso_encoding()) - 1; }

std::vector<OpenSpan> to_spans(local_days d, const std::vector<TimeWindow>& windows) {
  std::vector<OpenSpan> out;
  for (const auto& w : windows) {
    Duration start = std::chrono::minutes(w.start.minutes), end = std::chrono::minutes(w.end.minutes);
    if (w.crosses_midnight()) end += kDay;
    out.push_back({d, start, end});
  }
  std::sort(out.begin(), out.end(), [](const OpenSpan& a, const OpenSpan& b) { return a.start < b.start; });
  std::vector<OpenSpan> merged;
  for (const auto& s : out) {
    if (!merged.empty() && s.start <= merged.back().end) merged.back().end = std::max(merged.back().end, s.end);
    else merged.push_back(s);
  }
  return merged;
}

}  // namespace

bool date_in_range(const DateRange& r, local_days d) {
  return d >= local_days(r.first) && d <= local_days(r.last);
}

Duration wall_offset(const LocalTime& l, local_days day) { return (l.date - day) + l.since_midnight; }

TimePoint instant_at(const TimeZone& zone, local_days day, Duration offset) {
  auto whole = std::chrono::floor<days>(offset);
  return zone.from_local(day + whole, offset - whole);
}

BranchHours::BranchHours(const BranchSettings& b)
    : weekly_(b.opening_hours), hours_given_(b.opening_hours_given), special_(b.special_hours),
      closures_(b.closures) {}

const Closure* BranchHours::closure_on(local_days d) const {
  for (const auto& c : closures_)
    if (date_in_range(c.dates, d)) return &c;
  for (const auto& c : feed_closures_)
    if (date_in_range(c.dates, d)) return &c;
  return nullptr;
}

std::vector<OpenSpan> BranchHours::spans_on(local_days d) const {
  if (closure_on(d)) return {};
  for (const auto& s : special_)
    if (date_in_range(s.dates, d)) return to_spans(d, s.hours);
  if (!hours_given_) return {{d, Duration(0), kDay}};
  return to_spans(d, weekly_.by_weekday[iso_index(d)]);
}

std::vector<OpenSpan> BranchHours::spans_around(local_days d, int back, int ahead) const {
  std::vector<OpenSpan> out;
  for (int i = -back; i <= ahead; ++i)
    for (const auto& s : spans_on(d + days(i))) out.push_back(s);
  return out;
}

bool BranchHours::open_at(const LocalTime& l) const {
  if (!restricts()) return true;
  for (const auto& s : spans_around(l.date, 1, 0)) {
    Duration at = wall_offset(l, s.day);
    if (at >= s.start && at < s.end) return true;
  }
  return false;
}

}  // namespace branchcast
