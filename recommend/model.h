// The recommender's precomputed model: everything about the catalogue and the anonymous loans
// that does not depend on who is asking. Built by build_model() on a worker thread (a refresh),
// then shared read-only (std::shared_ptr<const RecommenderModel>) with the loop thread, which
// ranks per screen or patron with rank() (recommend/ranker.h).
//
// Pure: build_model() is a function of its arguments (the catalogue and `now`), never reads a
// clock, never touches the OS. Nothing in it identifies a patron: loans are anonymous aggregates.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/time.h"
#include "feeds/catalogue.h"
#include "recommend/text_index.h"

namespace branchcast {

struct ModelOptions {
  double popularity_half_life_days = 30;    // time-decayed popularity
  double cooccurrence_half_life_days = 180; // co-borrowing is a slower-moving signal
  size_t neighbours_per_item = 50;          // co-occurrence / EASE lists kept per title
  size_t trending_seeds = 5;                // screen mode: the most popular titles seed co-occurrence
  double freshness_half_life_days = 14;    // a new arrival's boost halves every two weeks
  double event_horizon_days = 60;           // events starting later than this are left out
  bool ease = false;                        // also fit EASE over the most-borrowed titles
  size_t ease_max_items = 1000;             // at most this many titles in EASE (dense n^3 fit)
  double ease_lambda = 50;                  // ridge strength (in loan units)
};

enum class ModelItemType : uint8_t { kTitle, kEvent };

struct ModelItem {
  ModelItemType type = ModelItemType::kTitle;
  std::string id;
  std::string uid;       // events: the UID shared by a recurring event's occurrences
  std::string kind;      // "book", "dvd", ..., "event"
  std::string title;
  std::string subtitle;  // titles: authors joined by ", "; events: the location
  std::string image;
  std::string url;       // events: the feed's link ("" when none)
  std::vector<std::string> authors;
  std::vector<std::string> people;    // events: ATTENDEE/ORGANIZER names (matched like authors)
  std::vector<std::string> subjects;  // subjects then tags, as given (for reasons)
  std::string text;      // events: word_text(title + description), for names and subjects in them
  std::string audience;  // effective: given, else inferred from subjects/tags ("" = everyone)
  bool has_added = false;
  TimePoint added{};
  TimePoint start{};     // events
  TimePoint end{};       // events (>= start)
  std::vector<uint32_t> features;  // sorted distinct BM25 term ids (MMR similarity)
  float popularity = 0;  // log-scaled time-decayed loans, 0..1 (titles)
  uint32_t loans_30d = 0;  // loans in the 30 days before the build
  bool popular_now = false;  // in the top 10% of titles by recent loans (and at least one loan)
};

// The values the per-query scan reads for every item, packed (12 bytes) and parallel to `items`,
// so a query over 50 000 titles touches well under a megabyte.
struct ItemStats {
  float popularity = 0;           // == ModelItem::popularity
  float freshness_at_build = 0;   // 0.5^((built_at - added) / half-life), capped at 2^30; 0 without added
  uint16_t kind = 0;              // index into RecommenderModel::kinds
  uint8_t audience = 0;           // index into RecommenderModel::audiences (0 = "", everyone)
  ModelItemType type = ModelItemType::kTitle;
};

struct Neighbour {
  uint32_t item;
  float weight;  // 0..1
};

struct RecommenderModel {
  TimePoint built_at{};
  ModelOptions options;
  std::vector<ModelItem> items;  // titles first (catalogue order), then events sorted by start
  size_t title_count = 0;
  std::vector<ItemStats> stats;        // parallel to items
  std::vector<std::string> kinds;      // distinct kinds, in order of first appearance
  std::vector<std::string> audiences;  // distinct audiences, [0] = ""
  std::unordered_map<std::string, uint32_t> by_id;
  Bm25Index text;  // one document per item
  // Per title: co-borrowed titles, weight = decayed co-borrows / sqrt(loans a * loans b), capped
  // at 1, strongest first.
  std::vector<std::vector<Neighbour>> cooccurrence;
  // Per title (empty unless options.ease and it is among the EASE titles): positive EASE weights
  // scaled by the row's largest, strongest first.
  std::vector<std::vector<Neighbour>> ease;
  size_t ease_items = 0;   // how many titles EASE covered (0: off or failed)
  std::string ease_note;   // why EASE is off, when asked for and not fitted
  std::vector<uint32_t> trending;  // top titles by decayed popularity

  const ModelItem* find(const std::string& id) const {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &items[it->second];
  }
};

// The effective audience of an item: `given` lower-cased when set, else "children" or "teen" when
// a subject or tag says so (children, childrens, kids, juvenile, picture books; teen, teens,
// young adult, ya; adult, adults: in that order of precedence), else "" (everyone).
std::string infer_audience(const std::string& given, const std::vector<std::string>& subjects,
                           const std::vector<std::string>& tags);

// Builds the model as of `now`. Loans for titles not in the catalogue, and loans dated after
// `now`, are ignored. Events that ended before `now` or start after the horizon are left out.
// `leave_out` (optional) drops events without copying the catalogue (closed_branch_event_test).
RecommenderModel build_model(const Catalogue& catalogue, TimePoint now, const ModelOptions& options = {},
                             const std::function<bool(const CatalogueEvent&)>& leave_out = {});

}  // namespace branchcast
