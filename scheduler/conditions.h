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

#include <functional>
#include <vector>

#include "common/time_zone.h"
#include "config/branch_hours.h"
#include "config/settings.h"
#include "feeds/catalogue.h"

namespace branchcast {

// Everything a condition may look at besides the clock.
struct ConditionContext {
  const TimeZone* zone = nullptr;
  PresenceLevel presence = PresenceLevel::kEmpty;
  const std::vector<CatalogueEvent>* events = nullptr;  // sorted by start
  const BranchHours* hours = nullptr;  // for open/before_close/after_open (null: always open)
};

// Does `when` hold at t (whose local time is `local`)?
bool condition_holds(const WhenCondition& when, TimePoint t, const LocalTime& local,
                     const ConditionContext& ctx);

// The earliest instant after t at which condition_holds(when, ...) may change because of the clock
// (presence changes are events, not deadlines). A conservative superset: the caller re-evaluates.
TimePoint next_condition_change(const WhenCondition& when, TimePoint t, const ConditionContext& ctx);

// Does an event match an events query or before_event condition (feed and any-of tags)?
bool event_matches(const CatalogueEvent& e, const std::string& feed, const std::vector<std::string>& tags);

// Awake hours of a screen (formats.md rule 6). Without `power` the screen is always awake.
// Relative power (before_open/after_close) widens each opening span of each day's real hours;
// fixed on/off holds on days the branch opens at all (a window crossing midnight belongs to the
// day it starts on), so closure days and weekly closed days are standby all day.
bool screen_awake(const BranchHours& hours, const std::optional<PowerSchedule>& power, const LocalTime& local);
TimePoint next_awake_change(const BranchHours& hours, const std::optional<PowerSchedule>& power, TimePoint t,
                            const TimeZone& zone);
// Why a screen with power is in standby at `local`: "closed: <name>" on a closure day, else "-".
std::string standby_reason(const BranchHours& hours, const LocalTime& local);

// Events on days the branch is closed are left out of cards and recommendations (rule 9) unless
// the event is held elsewhere: its location names another place (an address with a comma, or
// "online"/a link) and not the branch's name. Keeps order.
bool event_at_closed_branch(const CatalogueEvent& e, const BranchHours& hours, const TimeZone& zone,
                            const std::string& branch_name);
void drop_events_at_closed_branch(std::vector<CatalogueEvent>& events, const BranchHours& hours,
                                  const TimeZone& zone, const std::string& branch_name);
// The catalogue without the events on days the branch is closed (closures feed included), for
// the recommender (rule 9).
Catalogue without_closed_branch_events(Catalogue catalogue, const BranchSettings& branch, const TimeZone& zone);
// The test without_closed_branch_events() drops events by, for a shared catalogue that is not
// copied (build_model's `leave_out`). Owns what it needs; `events` is only read here.
std::function<bool(const CatalogueEvent&)> closed_branch_event_test(const std::vector<CatalogueEvent>& events,
                                                                    const BranchSettings& branch,
                                                                    const TimeZone& zone);
// The all-day events of `feed` as closures (named by their titles), in the branch's zone.
std::vector<Closure> closures_from_events(const std::vector<CatalogueEvent>& events, const std::string& feed,
                                          const TimeZone& zone);

}  // namespace branchcast
