#include "scheduler/conditions.h"

#include <algorithm>

namespace branchcast {
namespace {

using std::chrono::days;

int iso_index(local_days d) { return static_cast<int>(std::chrono::weekday{d}.iso_encoding()) - 1; }

bool in_date_range(const DateRange& r, local_days d) {
  return d >= local_days(r.first) && d <= local_days(r.last);
}

// If `w` holds at minute-of-day `ms` (in ms) of local day `today`, returns the day it belongs to.
std::optional<local_days> window_day(const TimeWindow& w, local_days today, Duration since) {
  Duration start = std::chrono::minutes(w.start.minutes), end = std::chrono::minutes(w.end.minutes);
  if (!w.crosses_midnight()) {
    if (since >= start && since < end) return today;
    return std::nullopt;
  }
  if (since >= start) return today;
  if (since < end) return today - days(1);
  return std::nullopt;
}

// Pushes the instants at which the local clock shows `since` on day d (also the end of a gap).
void push_local(std::vector<TimePoint>& out, const TimeZone& zone, local_days d, Duration since) {
  for (TimePoint p : zone.from_local_all(d, since)) out.push_back(p);
  out.push_back(zone.from_local(d, since));
}

TimePoint earliest_after(const std::vector<TimePoint>& cands, TimePoint t) {
  TimePoint best = TimePoint::max();
  for (TimePoint c : cands)
    if (c > t && c < best) best = c;
  return best;
}

bool day_awake_window(const OpeningHours& hours, bool hours_given, const PowerSchedule& p,
                      local_days d, Duration since) {
  if (hours_given && hours.by_weekday[iso_index(d)].empty()) return false;
  TimeWindow w{p.on, p.off};
  if (w.start.minutes == w.end.minutes) return true;  // on all day
  auto day = window_day(w, d, since);
  if (!day) return false;
  return !hours_given || !hours.by_weekday[iso_index(*day)].empty();
}

}  // namespace

bool event_matches(const CatalogueEvent& e, const std::string& feed, const std::vector<std::string>& tags) {
  if (!feed.empty() && e.feed != feed) return false;
  if (tags.empty()) return true;
  for (const auto& t : tags)
    if (std::find(e.tags.begin(), e.tags.end(), t) != e.tags.end()) return true;
  return false;
}

bool condition_holds(const WhenCondition& when, TimePoint t, const LocalTime& local,
                     const ConditionContext& ctx) {
  local_days day = local.date;
  if (when.time) {
    auto d = window_day(*when.time, local.date, local.since_midnight);
    if (!d) return false;
    day = *d;
  }
  if (when.days && !(*when.days)[iso_index(day)]) return false;
  if (when.dates && !in_date_range(*when.dates, day)) return false;
  if (when.presence && *when.presence != ctx.presence) return false;
  if (when.before_event) {
    const auto& be = *when.before_event;
    bool any = false;
    if (ctx.events) {
      for (const auto& e : *ctx.events) {
        if (e.start - be.lead > t) break;  // sorted by start: later ones start later still
        if (t < e.start && event_matches(e, be.feed, be.tags)) {
          any = true;
          break;
        }
      }
    }
    if (!any) return false;
  }
  return true;
}

TimePoint next_condition_change(const WhenCondition& when, TimePoint t, const ConditionContext& ctx) {
  const TimeZone& zone = *ctx.zone;
  std::vector<TimePoint> cands;
  if (when.time || when.days || when.dates) {
    LocalTime local = zone.to_local(t);
    for (int i = 0; i <= 2; ++i) {
      local_days d = local.date + days(i);
      if (when.time) {
        push_local(cands, zone, d, std::chrono::minutes(when.time->start.minutes));
        push_local(cands, zone, d, std::chrono::minutes(when.time->end.minutes));
      }
      if (when.days || when.dates) push_local(cands, zone, d, Duration(0));
    }
    cands.push_back(zone.next_offset_change(t));
  }
  if (when.before_event && ctx.events) {
    const auto& be = *when.before_event;
    for (const auto& e : *ctx.events) {
      if (!event_matches(e, be.feed, be.tags)) continue;
      TimePoint open = e.start - be.lead;
      if (open > t) {
        cands.push_back(open);
        break;  // sorted: later events open later
      }
      if (e.start > t) cands.push_back(e.start);
    }
  }
  return earliest_after(cands, t);
}

bool branch_open(const OpeningHours& hours, bool hours_given, const LocalTime& local) {
  if (!hours_given) return true;
  // A window crossing midnight belongs to the day it starts: look at today and yesterday.
  for (int back = 0; back <= 1; ++back) {
    local_days d = local.date - days(back);
    for (const auto& w : hours.by_weekday[iso_index(d)]) {
      auto day = window_day(w, local.date, local.since_midnight);
      if (day && *day == d) return true;
    }
  }
  return false;
}

bool screen_awake(const OpeningHours& hours, bool hours_given, const std::optional<PowerSchedule>& power,
                  const LocalTime& local) {
  if (!power) return true;
  if (hours_given && branch_open(hours, hours_given, local)) return true;
  return day_awake_window(hours, hours_given, *power, local.date, local.since_midnight);
}

TimePoint next_awake_change(const OpeningHours& hours, bool hours_given,
                            const std::optional<PowerSchedule>& power, TimePoint t, const TimeZone& zone) {
  if (!power) return TimePoint::max();
  LocalTime local = zone.to_local(t);
  std::vector<TimePoint> cands;
  for (int i = 0; i <= 2; ++i) {
    local_days d = local.date + days(i);
    push_local(cands, zone, d, Duration(0));
    push_local(cands, zone, d, std::chrono::minutes(power->on.minutes));
    push_local(cands, zone, d, std::chrono::minutes(power->off.minutes));
    if (hours_given) {
      for (const auto& w : hours.by_weekday[iso_index(d)]) {
        push_local(cands, zone, d, std::chrono::minutes(w.start.minutes));
        push_local(cands, zone, d, std::chrono::minutes(w.end.minutes));
      }
    }
  }
  cands.push_back(zone.next_offset_change(t));
  return earliest_after(cands, t);
}

}  // namespace branchcast
