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

// Is wall offset `at` (from s.day's midnight) within [start - before, end + after)?
bool in_span(const OpenSpan& s, Duration at, Duration before, Duration after) {
  return at >= s.start - before && at < s.end + after;
}

// Does a span end where the next day's first span begins (a branch open through midnight)?
bool continues_past_end(const BranchHours& hours, const OpenSpan& s) {
  if (s.end < std::chrono::hours(24)) return false;
  for (const auto& n : hours.spans_on(s.day + days(1)))
    if (n.start == s.end - std::chrono::hours(24)) return true;
  return false;
}
bool continues_before_start(const BranchHours& hours, const OpenSpan& s) {
  if (s.start > Duration(0)) return false;
  for (const auto& p : hours.spans_on(s.day - days(1)))
    if (p.end == std::chrono::hours(24)) return true;
  return false;
}

bool branch_condition_holds(const WhenCondition& when, const LocalTime& local, const BranchHours& hours) {
  if (when.open && hours.open_at(local) != *when.open) return false;
  if (when.before_close) {
    bool any = false;
    for (const auto& s : hours.spans_around(local.date, 1, 0)) {
      if (continues_past_end(hours, s)) continue;
      Duration at = wall_offset(local, s.day);
      Duration from = std::max(s.start, s.end - *when.before_close);
      if (at >= from && at < s.end) any = true;
    }
    if (!any) return false;
  }
  if (when.after_open) {
    bool any = false;
    for (const auto& s : hours.spans_around(local.date, 1, 0)) {
      if (continues_before_start(hours, s)) continue;
      Duration at = wall_offset(local, s.day);
      Duration to = std::min(s.end, s.start + *when.after_open);
      if (at >= s.start && at < to) any = true;
    }
    if (!any) return false;
  }
  return true;
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
  if (when.open || when.before_close || when.after_open) {
    static const BranchHours kAlwaysOpen;
    if (!branch_condition_holds(when, local, ctx.hours ? *ctx.hours : kAlwaysOpen)) return false;
  }
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
  if ((when.open || when.before_close || when.after_open) && ctx.hours) {
    LocalTime local = zone.to_local(t);
    for (const auto& sp : ctx.hours->spans_around(local.date, 1, 2)) {
      for (Duration off : {sp.start, sp.end, sp.end - when.before_close.value_or(Duration(0)),
                           sp.start + when.after_open.value_or(Duration(0))})
        cands.push_back(instant_at(zone, sp.day, off));
    }
    for (int i = 0; i <= 3; ++i) push_local(cands, zone, local.date + days(i), Duration(0));
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

bool screen_awake(const BranchHours& hours, const std::optional<PowerSchedule>& power, const LocalTime& local) {
  if (!power) return true;
  if (power->relative) {
    for (const auto& s : hours.spans_around(local.date, 1, 1))
      if (in_span(s, wall_offset(local, s.day), power->before_open, power->after_close)) return true;
    return false;
  }
  TimeWindow w{power->on, power->off};
  auto day = window_day(w, local.date, local.since_midnight);
  if (!day) return false;
  return hours.opens_on(*day);
}

TimePoint next_awake_change(const BranchHours& hours, const std::optional<PowerSchedule>& power, TimePoint t,
                            const TimeZone& zone) {
  if (!power) return TimePoint::max();
  LocalTime local = zone.to_local(t);
  std::vector<TimePoint> cands;
  for (int i = 0; i <= 2; ++i) {
    local_days d = local.date + days(i);
    push_local(cands, zone, d, Duration(0));  // closure days and standby reasons change at midnight
    if (!power->relative) {
      push_local(cands, zone, d, std::chrono::minutes(power->on.minutes));
      push_local(cands, zone, d, std::chrono::minutes(power->off.minutes));
    }
  }
  if (power->relative) {
    for (const auto& s : hours.spans_around(local.date, 1, 2)) {
      cands.push_back(instant_at(zone, s.day, s.start - power->before_open));
      cands.push_back(instant_at(zone, s.day, s.end + power->after_close));
    }
  }
  cands.push_back(zone.next_offset_change(t));
  return earliest_after(cands, t);
}

std::string standby_reason(const BranchHours& hours, const LocalTime& local) {
  if (const Closure* c = hours.closure_on(local.date)) return "closed: " + c->name;
  return "-";
}

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool held_elsewhere(const CatalogueEvent& e, const std::string& branch_name) {
  std::string loc = lower(e.location);
  if (loc.empty()) return false;
  std::string name = lower(branch_name);
  if (!name.empty() && loc.find(name) != std::string::npos) return false;
  return loc.find(',') != std::string::npos || loc.find("online") != std::string::npos ||
         loc.find("http") != std::string::npos;
}

}  // namespace

bool event_at_closed_branch(const CatalogueEvent& e, const BranchHours& hours, const TimeZone& zone,
                            const std::string& branch_name) {
  if (!hours.restricts()) return false;
  local_days day = zone.to_local(e.start).date;
  if (hours.opens_on(day)) return false;
  return !held_elsewhere(e, branch_name);
}

void drop_events_at_closed_branch(std::vector<CatalogueEvent>& events, const BranchHours& hours,
                                  const TimeZone& zone, const std::string& branch_name) {
  std::erase_if(events, [&](const CatalogueEvent& e) { return event_at_closed_branch(e, hours, zone, branch_name); });
}

Catalogue without_closed_branch_events(Catalogue catalogue, const BranchSettings& branch, const TimeZone& zone) {
  std::erase_if(catalogue.events, closed_branch_event_test(catalogue.events, branch, zone));
  return catalogue;
}

std::function<bool(const CatalogueEvent&)> closed_branch_event_test(const std::vector<CatalogueEvent>& events,
                                                                    const BranchSettings& branch,
                                                                    const TimeZone& zone) {
  BranchHours hours(branch);
  if (!branch.closures_feed.empty()) hours.set_feed_closures(closures_from_events(events, branch.closures_feed, zone));
  return [hours = std::move(hours), zone, name = branch.name](const CatalogueEvent& e) {
    return event_at_closed_branch(e, hours, zone, name);
  };
}

std::vector<Closure> closures_from_events(const std::vector<CatalogueEvent>& events, const std::string& feed,
                                          const TimeZone& zone) {
  std::vector<Closure> out;
  if (feed.empty()) return out;
  for (const auto& e : events) {
    if (e.feed != feed || !e.all_day) continue;
    local_days first = zone.to_local(e.start).date;
    local_days last = e.end > e.start ? zone.to_local(e.end - Duration(1)).date : first;
    if (last < first) last = first;
    out.push_back({DateRange{std::chrono::year_month_day(first), std::chrono::year_month_day(last)}, e.title, {}});
  }
  return out;
}

}  // namespace branchcast
