#include "feeds/feed_parser.h"

namespace branchcast {

Result<ParsedFeed> parse_feed(FeedKind kind, std::string_view body, const FeedParseOptions& options) {
  switch (kind) {
    case FeedKind::kIcal: return parse_ical(body, options);
    case FeedKind::kRss:
    case FeedKind::kAtom: return parse_xml_feed(body, options);
    case FeedKind::kJsonEvents: return parse_json_events(body, options);
    case FeedKind::kJsonCatalogue: return parse_json_catalogue(body, options);
    case FeedKind::kJsonLoans: return parse_json_loans(body, options);
    case FeedKind::kJsonFeed: return parse_jsonfeed(body, options);
  }
  return make_error("unknown feed kind");
}

Result<FeedKind> parse_feed_kind(std::string_view name) {
  for (FeedKind k : {FeedKind::kIcal, FeedKind::kRss, FeedKind::kAtom, FeedKind::kJsonEvents,
                     FeedKind::kJsonCatalogue, FeedKind::kJsonLoans, FeedKind::kJsonFeed})
    if (name == to_string(k)) return k;
  return make_error("unknown feed kind '" + std::string(name) +
                    "' (expected ical, rss, atom, json-events, json-catalogue, json-loans or jsonfeed)");
}

}  // namespace branchcast
