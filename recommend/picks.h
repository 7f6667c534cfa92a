// From a Ranking to what the rest of the appliance consumes: the scheduler's `recommended` cards
// and `branchcast recommend`'s JSON (formats.md section 3). Pure.
#pragma once

#include <string>
#include <vector>

#include "common/time_zone.h"
#include "recommend/ranker.h"
#include "scheduler/scheduler.h"

namespace branchcast {

// The first query.count items of the ranking whose kind is in query.kinds (all kinds when empty),
// in ranking order. An event's subtitle is its local start ("Thu 2 Dec 14:00") and room; a title's
// is its authors. Fewer than count when the ranking has fewer matching items.
std::vector<Recommendation> to_recommendations(const Ranking& ranking, const RecommendedQuery& query,
                                               const RecommenderModel& model, const TimeZone& zone);

// What a screen's `recommended` item shows at `now`: the screen's ranking restricted to the item's
// kinds, top query.count, as Recommendation values. One call per screen and item, loop thread
// (cheap: see rank()).
std::vector<Recommendation> picks_for_screen(const RecommenderModel& model, const ScreenSettings& screen,
                                             PresenceLevel presence, const RecommendedQuery& query, TimePoint now,
                                             const TimeZone& zone);

// {"at": ISO time in `zone`, "for": for_label, "items": [{"id","kind","title","score","reasons"}]},
// score rounded to 4 decimals, one line, no trailing newline. A patron's ranking adds "declared"
// (the level that matches what they declared) at the top and, per item, "relevance" (0..2) and
// "matched" (the declared authors and subjects it matches, as declared).
std::string ranking_json(const Ranking& ranking, const std::string& for_label, const TimeZone& zone);

}  // namespace branchcast
