// Builders for playlists and a helper that renders a timeline as simulate lines.
#pragma once

#include <string>
#include <vector>

#include "scheduler/scheduler.h"
#include "scheduler/timeline.h"

namespace branchcast::testing {

inline PlaylistItem image(const std::string& path, int seconds) {
  PlaylistItem i;
  i.kind = ItemKind::kImage;
  i.path = path;
  i.duration = std::chrono::seconds(seconds);
  return i;
}

inline PlaylistItem video(const std::string& path, std::optional<int> seconds = std::nullopt) {
  PlaylistItem i;
  i.kind = ItemKind::kVideo;
  i.path = path;
  if (seconds) i.duration = std::chrono::seconds(*seconds);
  return i;
}

inline PlaylistItem text(const std::string& t, int seconds) {
  PlaylistItem i;
  i.kind = ItemKind::kText;
  i.text = t;
  i.duration = std::chrono::seconds(seconds);
  return i;
}

inline PlaylistItem events(const std::string& feed, std::vector<std::string> tags, int next, int seconds,
                           std::optional<Duration> within = std::nullopt) {
  PlaylistItem i;
  i.kind = ItemKind::kEvents;
  i.events.feed = feed;
  i.events.tags = std::move(tags);
  i.events.next = next;
  i.events.within = within;
  i.duration = std::chrono::seconds(seconds);
  return i;
}

inline PlaylistRule rule(const std::string& name, int priority, std::vector<PlaylistItem> items,
                         WhenCondition when = {}, bool interrupt = false) {
  PlaylistRule r;
  r.name = name;
  r.priority = priority;
  r.items = std::move(items);
  r.when = when;
  r.interrupt = interrupt;
  return r;
}

inline WhenCondition at_time(const std::string& window) {
  WhenCondition w;
  w.time = *parse_time_window(window);
  return w;
}

inline std::array<bool, 7> weekdays(std::initializer_list<int> iso_indices) {
  std::array<bool, 7> d{};
  for (int i : iso_indices) d[i] = true;
  return d;
}

inline ScheduleInputs inputs(PlaylistSettings p, const std::string& zone = "Europe/London") {
  ScheduleInputs in;
  in.playlist = std::move(p);
  in.zone = *TimeZone::load(zone);
  return in;
}

inline TimePoint at(const ScheduleInputs& in, const std::string& iso) { return *in.zone.parse_iso(iso); }

inline std::vector<std::string> simulate(ScheduleInputs in, const std::string& from, const std::string& to) {
  TimeZone zone = in.zone;
  TimePoint f = *zone.parse_iso(from), t = *zone.parse_iso(to);
  Scheduler s(std::move(in));
  std::vector<std::string> out;
  for (const auto& e : simulate_timeline(s, f, t)) out.push_back(format_timeline_line(e, zone));
  return out;
}

inline CatalogueEvent event(const std::string& id, TimePoint start, Duration length,
                            std::vector<std::string> tags, const std::string& feed = "events") {
  CatalogueEvent e;
  e.id = id;
  e.uid = id;
  e.feed = feed;
  e.title = id;
  e.start = start;
  e.end = start + length;
  e.tags = std::move(tags);
  return e;
}

}  // namespace branchcast::testing
