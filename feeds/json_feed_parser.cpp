#include "feeds/feed_parser.h"
namespace branchcast {}
namespace branchcast {
Result<ParsedFeed> parse_xml_feed(std::string_view, const FeedParseOptions&) { return make_error("todo"); }
Result<ParsedFeed> parse_json_events(std::string_view, const FeedParseOptions&) { return make_error("todo"); }
Result<ParsedFeed> parse_json_catalogue(std::string_view, const FeedParseOptions&) { return make_error("todo"); }
Result<ParsedFeed> parse_json_loans(std::string_view, const FeedParseOptions&) { return make_error("todo"); }
}
