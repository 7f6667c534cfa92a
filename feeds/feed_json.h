// The normalized JSON of `branchcast feeds show` (formats.md section 3). Pure, thread-safe.
#pragma once

#include <optional>
#include <string>

#include "common/time_zone.h"
#include "config/settings.h"
#include "feeds/catalogue.h"

namespace branchcast {

struct FeedJsonZones {
  // The branch's zone (with --config): every time is shown in it.
  std::optional<TimeZone> branch;
  // Otherwise an event's own IANA zone (CatalogueEvent::zone), else the feed's zone, else this.
  std::optional<TimeZone> feed;
  TimeZone fallback = TimeZone::utc();
};

// {"feed": kind, "items": [{"id", "title", "start", "end", "all_day", "location", "tags",
// "description", "url", "image", "authors", "subjects", "kind", "isbn"}], ...}: events (one item per
// occurrence) and titles, sorted by start (titles use their added time; titles without one last).
// json-loans adds "loan_counts" and "loan_pairs". Times are ISO 8601 with offset; null when absent.
// Pretty-printed with two-space indent and a final newline.
std::string feed_json(FeedKind kind, const Catalogue& catalogue, const FeedJsonZones& zones);

}  // namespace branchcast
