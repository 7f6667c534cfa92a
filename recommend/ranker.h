// Ranking for one screen or one opted-in patron at time `now`, from a RecommenderModel.
//
// The score of an item is a weighted sum of components, each in [0, 1] (audience fit in [-1, 1]):
//   popularity    time-decayed anonymous loans, log-scaled                       (titles)
//   cooccurrence  co-borrowed with the seed titles (EASE weights when asked)      (titles)
//   content       BM25 of the item's authors/subjects/tags against the query      (all)
//   event_soon    0.5^(hours until start / 72); 1 while on; x presence factor     (events)
//   audience      +1 same audience as the screen/patron, -1 another one, 0 in a lobby; an item with
//                 no audience counts -0.5 in a children's or teen area, 0 elsewhere
//   freshness     0.5^(days since added / 14)                                     (titles)
// Seeds and query: a screen seeds co-occurrence with the branch's trending titles and queries
// content with the upcoming events' authors/subjects/tags; a patron seeds with the titles that best
// match their declared interests and queries content with those interests. Then MMR re-ranks the
// best candidates for diversity. Every returned item carries its score and reasons.
//
// Patron mode puts relevance first: each item gets a relevance level, 2 when it matches a declared
// author (in a title's authors; in an event's authors, ATTENDEE/ORGANIZER names, title or
// description) or a declared subject (every word of it among the item's subject/tag words, an
// event's title words, or the phrase in its description), 1 when it only matches the patron's ages
// (the same explicit audience) or is co-borrowed with `context` titles (past engagement), else 0.
// Items are ordered by level, then score: an item that matches nothing never ranks above one that
// matches, and MMR only reorders items of the same level. Screens have no levels (all 0): their
// ranking is the blend and MMR alone.
//
// Pure: a function of (model, request). Cheap enough per screen (< 5 ms for 50 000 titles) to run on
// the loop thread; the model may be shared by many threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "recommend/model.h"

namespace branchcast {

struct BlendWeights {
  double popularity = 1.0;
  double cooccurrence = 1.0;
  double content = 1.2;
  double event_soon = 2.0;
  double audience = 1.0;
  double freshness = 0.5;
};

struct RankRequest {
  TimePoint now{};
  std::string audience;              // the screen's (ScreenSettings::audience) or the patron's ages
  PresenceLevel presence = PresenceLevel::kSome;
  std::optional<PatronInterests> interests;  // set: patron mode
  std::vector<std::string> exclude;  // never returned (a patron's past prompts)
  std::vector<std::string> context;  // titles to seed co-occurrence with (and not return)
  std::vector<std::string> kinds;    // only these kinds ("book", "event", ...); empty: all
  size_t count = 10;
  bool use_ease = false;             // co-occurrence from EASE weights where the model has them
  bool diversify = true;             // MMR re-ranking
  double mmr_lambda = 0.7;           // 1 = pure relevance
  double event_window_days = 14;     // events starting later are not candidates
  BlendWeights weights;
};

// The weighted contributions that make up an item's score (for reasons and for tests).
struct ScoreParts {
  double popularity = 0, cooccurrence = 0, content = 0, event_soon = 0, audience = 0, freshness = 0;
  double total() const { return popularity + cooccurrence + content + event_soon + audience + freshness; }
};

struct RankedItem {
  std::string id;
  std::string kind;
  std::string title;
  std::string subtitle;
  std::string image;
  double score = 0;                  // the blend (before MMR); items are listed in MMR order
  ScoreParts parts;
  std::vector<std::string> reasons;  // human-readable, strongest first, at least one
  // Patron mode: the relevance level (see above) and the declared interests matched, as declared.
  int relevance = 0;
  std::vector<std::string> matched_authors = {};  // (initialisers: aggregate init may omit them)
  std::vector<std::string> matched_subjects = {};
};

struct Ranking {
  TimePoint at{};
  std::vector<RankedItem> items;
  // Patron mode: the level an item needs to match what the patron declared: 2 when they declared
  // authors or subjects (with at least one word), 1 when only ages (or context titles), 0 when
  // nothing (then nothing is relevant to them, and no prompt may be sent). Screens: 0.
  int declared = 0;
  bool patron = false;  // a patron's ranking (RankRequest::interests set)
};

// The request for an opted-in patron: their declared interests and ages, their past prompts
// excluded. (No identifier of the patron is kept in the request.)
RankRequest patron_request(TimePoint now, const PatronInterests& interests, std::vector<std::string> past_prompts);
// The request for a screen: its audience and the presence level near it.
RankRequest screen_request(TimePoint now, const ScreenSettings& screen, PresenceLevel presence);

Ranking rank(const RecommenderModel& model, const RankRequest& request);

// Jaccard similarity of two items' feature sets (MMR's similarity), 0..1.
double item_similarity(const ModelItem& a, const ModelItem& b);
// "in 45 minutes", "in 3 hours", "tomorrow", "in 2 days".
std::string relative_time(Duration until);

}  // namespace branchcast
