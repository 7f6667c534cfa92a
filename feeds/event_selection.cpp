#include "feeds/event_selection.h"

#include <algorithm>
#include <cstdio>

#include "common/strings.h"

namespace branchcast {
namespace {

bool ended(const CatalogueEvent& e, TimePoint now) { return e.end > e.start ? e.end <= now : e.start < now; }

std::string hhmm(const LocalTime& l) {
  char buf[32];
  int m = l.minute_of_day();
  std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
  return buf;
}

const char* weekday_name(std::chrono::weekday w) {
  static const char* const kNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  return kNames[w.c_encoding()];
}

std::string day_month(const LocalTime& l) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::chrono::year_month_day ymd{l.date};
  return std::string(weekday_name(l.weekday())) + " " + std::to_string(static_cast<unsigned>(ymd.day())) + " " +
         kMonths[static_cast<unsigned>(ymd.month()) - 1];
}

}  // namespace

bool event_has_any_tag(const CatalogueEvent& e, const std::vector<std::string>& tags) {
  if (tags.empty()) return true;
  for (const auto& want : tags) {
    std::string w = to_lower(trim(want));
    for (const auto& have : e.tags)
      if (to_lower(have) == w) return true;
  }
  return false;
}

std::vector<CatalogueEvent> next_events(const std::vector<CatalogueEvent>& events, const EventsQuery& query,
                                        TimePoint now) {
  std::vector<const CatalogueEvent*> hits;
  for (const auto& e : events) {
    if (!query.feed.empty() && e.feed != query.feed) continue;
    if (ended(e, now) || !event_has_any_tag(e, query.tags)) continue;
    if (query.within && e.start >= now + *query.within) continue;
    hits.push_back(&e);
  }
  std::sort(hits.begin(), hits.end(), [](const CatalogueEvent* a, const CatalogueEvent* b) {
    return a->start != b->start ? a->start < b->start : a->id < b->id;
  });
  std::vector<CatalogueEvent> out;
  for (const auto* e : hits) {
    if (static_cast<int>(out.size()) >= query.next) break;
    out.push_back(*e);
  }
  return out;
}

std::optional<TimePoint> next_event_start(const std::vector<CatalogueEvent>& events, const std::string& feed,
                                          const std::vector<std::string>& tags, TimePoint now) {
  std::optional<TimePoint> best;
  for (const auto& e : events) {
    if ((!feed.empty() && e.feed != feed) || e.start <= now || !event_has_any_tag(e, tags)) continue;
    if (!best || e.start < *best) best = e.start;
  }
  return best;
}

std::string start_day_text(const CatalogueEvent& e, TimePoint now, const TimeZone& zone) {
  LocalTime today = zone.to_local(now);
  LocalTime start = zone.to_local(e.start);
  auto days = (start.date - today.date).count();
  std::string time = e.all_day ? "" : " " + hhmm(start);
  if (days == 0) return "Today" + time;
  if (days == 1) return "Tomorrow" + time;
  if (days > 1 && days < 7) return weekday_name(start.weekday()) + time;
  return day_month(start) + time;
}

std::string countdown_text(const CatalogueEvent& e, TimePoint now, const TimeZone& zone) {
  if (ended(e, now)) return "Ended";
  if (e.start <= now) return e.all_day ? "Today" : "Now until " + hhmm(zone.to_local(e.end));
  auto until = e.start - now;
  if (!e.all_day && until < std::chrono::minutes(1)) return "Starting now";
  if (!e.all_day && until <= std::chrono::minutes(60)) {
    long long mins = (until.count() + 59'999) / 60'000;
    return "Starts in " + std::to_string(mins) + " min";
  }
  return start_day_text(e, now, zone);
}

}  // namespace branchcast
