// Choosing events for cards and countdowns. Pure: `now` and the zone are values; thread-safe.
//
// An event is current until it ends (end > now; a zero-length event until its start passes).
// Cancelled events never reach the catalogue (the parsers drop them), so a cancellation shows up
// as the event disappearing at the next refresh.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "common/time_zone.h"
#include "config/settings.h"
#include "feeds/catalogue.h"

namespace branchcast {

// True when `e` has any of `tags` (case-insensitive; empty `tags` matches every event).
bool event_has_any_tag(const CatalogueEvent& e, const std::vector<std::string>& tags);

// The first `query.next` events (by start, then id) that are from `query.feed` (when non-empty;
// events carry the feed id they came from), match its tags, have not ended at `now`, and start
// before now + query.within (when given). Ongoing events are included. `events` need not be
// sorted.
std::vector<CatalogueEvent> next_events(const std::vector<CatalogueEvent>& events, const EventsQuery& query,
                                        TimePoint now);

// The start of the next matching event that has not started yet at `now` (for `before_event`
// rules: active from start - lead until start), or nullopt.
std::optional<TimePoint> next_event_start(const std::vector<CatalogueEvent>& events, const std::string& feed,
                                          const std::vector<std::string>& tags, TimePoint now);

// When an event starts, in `zone`, relative to the day of `now`: "Today 10:30", "Tomorrow 19:00",
// "Thu 19:00" (within 6 days), else "Thu 12 Mar 19:00"; all-day events without the time.
std::string start_day_text(const CatalogueEvent& e, TimePoint now, const TimeZone& zone);

// Countdown text for a card and a nearby prompt, in `zone` (event cards prefix the start while
// it counts down: media/card.h event_when_text):
//   ongoing            "Now until 10:15"        (all-day: "Today")
//   starts < 1 min     "Starting now"
//   starts <= 60 min   "Starts in 12 min"
//   later today        "Today 10:30"
//   tomorrow           "Tomorrow 19:00"         (all-day: "Tomorrow")
//   within 6 days      "Thu 19:00"              (all-day: "Thu")
//   later              "Thu 12 Mar 19:00"       (all-day: "Thu 12 Mar")
//   ended              "Ended"
std::string countdown_text(const CatalogueEvent& e, TimePoint now, const TimeZone& zone);

}  // namespace branchcast
