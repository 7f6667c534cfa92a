// Parsing one feed body into the catalogue model. Pure: bytes and options in, a Catalogue or an
// Error out; no I/O beyond the zone database (TimeZone), thread-safe, callable from a worker.
//
// Bounded resources: bodies over max_bytes are refused, recurrence expansion is capped per event,
// per feed and by the window, nesting depth is capped. Bad input gives an Error naming the source
// and, where known, the line or byte offset; never a crash or a hang.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "common/time_zone.h"
#include "config/settings.h"
#include "feeds/catalogue.h"

namespace branchcast {

struct FeedParseOptions {
  std::string feed_id;           // copied into every item's `feed`
  std::string source;            // what messages name: a path, or a URL shown without secrets
  std::string base_url;          // relative links resolve against it (the full feed URL), or ""
  std::string charset;           // declared by the transport (Content-Type), "" = from the body
  TimeZone default_zone = TimeZone::utc();  // floating times when the feed names no zone
  // Occurrences overlapping [window_start, window_end) are produced (recurrences expanded).
  TimePoint window_start{};
  TimePoint window_end{};
  // The limits below keep a feed within the Zero 2 W memory budget (docs/feeds.md "Memory
  // budget"; issue 13): a feed over any of them is refused whole, naming it.
  int64_t max_bytes = kDefaultFeedMaxBytes;
  size_t max_occurrences_per_event = 2000;
  // Work budget of one parse for recurrence expansion: iterator steps over every RRULE together
  // (issue 13: a few hostile rules cannot burn minutes of a worker). Spent: the rest of the
  // recurring events keep their first occurrence only, with one warning naming the budget.
  long max_recurrence_steps = 2'000'000;
  size_t max_occurrences = 5'000;   // event occurrences in the window, all events together
  size_t max_items = 5'000;         // VEVENTs, RSS/Atom/JSON entries
  // iCal: the text (title, description, location, links, tags, people) of every occurrence in
  // the window together; a recurring event's text counts once per occurrence.
  size_t max_text_bytes = 4 * 1024 * 1024;
  Duration max_window = std::chrono::duration_cast<Duration>(std::chrono::days(366 * 20));
};

struct ParsedFeed {
  Catalogue catalogue;
  std::string zone;                   // the feed's own zone (X-WR-TIMEZONE, JSON "timezone"), or ""
  std::vector<std::string> warnings;  // skipped components, capped expansions, repaired bytes
};

// Dispatches on kind. A feed over one of the limits above (items, occurrences in total or per
// event) is refused as a whole, naming the limit: never half-applied (issue 13).
Result<ParsedFeed> parse_feed(FeedKind kind, std::string_view body, const FeedParseOptions& options);

Result<ParsedFeed> parse_ical(std::string_view body, const FeedParseOptions& options);
// RSS 2.0 and Atom 1.0 (either is accepted for both kinds): items become catalogue titles.
Result<ParsedFeed> parse_xml_feed(std::string_view body, const FeedParseOptions& options);
Result<ParsedFeed> parse_json_events(std::string_view body, const FeedParseOptions& options);
Result<ParsedFeed> parse_json_catalogue(std::string_view body, const FeedParseOptions& options);
Result<ParsedFeed> parse_json_loans(std::string_view body, const FeedParseOptions& options);
// JSON Feed 1.0 / 1.1 (https://jsonfeed.org): items become catalogue titles (kind "article").
Result<ParsedFeed> parse_jsonfeed(std::string_view body, const FeedParseOptions& options);

// "ical", "rss", "atom", "json-events", "json-catalogue", "json-loans", "jsonfeed" (formats.md names; the
// inverse of to_string(FeedKind)).
Result<FeedKind> parse_feed_kind(std::string_view name);

}  // namespace branchcast
