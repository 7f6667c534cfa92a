// Evaluating a rule's `when` and the branch's waking hours at an instant, and finding the next
// instant at which they may change. Pure; used by the Scheduler.
//
// Local-time semantics (documented for staff in the README):
// - Conditions are tested on the local wall clock of the branch's zone. A 09:00 rule starts at 09:00
//   local time on both sides of a DST change.
// - A `time` window crossing midnight (22:00-02:00) belongs to the day it starts on: with
//   `days: [fri]` it runs Friday 22:00 to Saturday 02:00. Date ranges work the same way.
// - On the spring-forward day a window inside the skipped hour never holds; one that straddles it
//   holds from the first instant after the gap. On the fall-back day a window inside the repeated
//   hour holds on both passes.
#pragma once

#include <vector>

#include "common/time_zone.h"
#include "config/settings.h"
#include "feeds/catalogue.h"

namespace branchcast {

// Everything a condition may look at besides the clock.
struct ConditionContext {
  const TimeZone* zone = nullptr;
  PresenceLevel presence = PresenceLevel::kEmpty;
  const std::vector<CatalogueEvent>* events = nullptr;  // sorted by start
};

// Does `when` hold at t (whose local time is `local`)?
bool condition_holds(const WhenCondition& when, TimePoint t, const LocalTime& local,
                     const ConditionContext& ctx);

// The earliest instant after t at which condition_holds(when, ...) may change because of the clock
// (presence changes are events, not deadlines). A conservative superset: the caller re-evaluates.
TimePoint next_condition_change(const WhenCondition& when, TimePoint t, const ConditionContext& ctx);

// Does an event match an events query or before_event condition (feed and any-of tags)?
bool event_matches(const CatalogueEvent& e, const std::string& feed, const std::vector<std::string>& tags);

// Awake hours of a screen: open hours, plus the power window on days the branch opens. Without
// `power` the screen is always awake. Without opening hours, the power window alone counts.
bool screen_awake(const OpeningHours& hours, bool hours_given, const std::optional<PowerSchedule>& power,
                  const LocalTime& local);
TimePoint next_awake_change(const OpeningHours& hours, bool hours_given,
                            const std::optional<PowerSchedule>& power, TimePoint t, const TimeZone& zone);

// Is the branch open at `local`? (Always, when no opening hours are given.)
bool branch_open(const OpeningHours& hours, bool hours_given, const LocalTime& local);

}  // namespace branchcast
