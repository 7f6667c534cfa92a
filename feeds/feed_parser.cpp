#include "feeds/feed_parser.h"

namespace branchcast {

namespace {

Result<ParsedFeed> dispatch(FeedKind kind, std::string_view body, const FeedParseOptions& options) {
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

}  // namespace

// The parsers stop at a limit with a warning "more than N ...; the rest are ..." (bounded work and
// memory); a feed is used whole or not at all (issue 13), so such a result is refused here.
Result<ParsedFeed> parse_feed(FeedKind kind, std::string_view body, const FeedParseOptions& options) {
  auto parsed = dispatch(kind, body, options);
  if (!parsed) return parsed;
  for (const auto& w : parsed->warnings)
    if (w.find("; the rest are ") != std::string::npos)
      return make_error(w.substr(0, w.find("; the rest are ")) +
                        ": over a limit that bounds the memory a feed may take; the feed is refused (the last good copy stays)");
  return parsed;
}

Result<FeedKind> parse_feed_kind(std::string_view name) {
  for (FeedKind k : {FeedKind::kIcal, FeedKind::kRss, FeedKind::kAtom, FeedKind::kJsonEvents,
                     FeedKind::kJsonCatalogue, FeedKind::kJsonLoans, FeedKind::kJsonFeed})
    if (name == to_string(k)) return k;
  return make_error("unknown feed kind '" + std::string(name) +
                    "' (expected ical, rss, atom, json-events, json-catalogue, json-loans or jsonfeed)");
}

}  // namespace branchcast
