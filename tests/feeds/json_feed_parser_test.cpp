// The JSON feed shapes of docs/feeds.md.
#include <gtest/gtest.h>

#include "feeds/feed_parser.h"

namespace branchcast {
namespace {

FeedParseOptions opts() {
  FeedParseOptions o;
  o.source = "feed.json";
  o.feed_id = "j";
  return o;
}

TimePoint at(const char* iso) { return *TimeZone::utc().parse_iso(iso); }

TEST(JsonFeedParser, LibCalLikeEvents) {
  const char* doc = R"({"timezone": "Europe/London", "events": [
    {"id": 42, "title": "Code club", "start": "2026-07-04 14:00:00", "end": "2026-07-04 15:30:00",
     "allday": false, "location": {"id": 3, "name": "Learning centre"},
     "category": [{"id": 1, "name": "Digital"}, {"id": 2, "name": "Children"}],
     "description": "<p>Bring a laptop</p>", "url": {"public": "https://lib.example.org/e/42"},
     "featured_image": "https://lib.example.org/i/42.png", "presenter": "Ada", "audience": [{"name": "Children"}]},
    {"id": "x", "title": "Gone", "start": "2026-07-01T10:00:00Z", "status": "cancelled"},
    {"id": "d", "title": "Closed", "start": "2026-07-01", "allday": true}]})";
  auto r = parse_json_events(doc, opts());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->catalogue.events.size(), 2u);
  EXPECT_EQ(r->zone, "Europe/London");
  const auto& d = r->catalogue.events[0];
  EXPECT_TRUE(d.all_day);
  EXPECT_EQ(d.start, at("2026-06-30T23:00Z"));
  EXPECT_EQ(d.end - d.start, std::chrono::hours(24));
  const auto& e = r->catalogue.events[1];
  EXPECT_EQ(e.id, "42");
  EXPECT_EQ(e.start, at("2026-07-04T13:00Z"));
  EXPECT_EQ(e.end, at("2026-07-04T14:30Z"));
  EXPECT_EQ(e.location, "Learning centre");
  EXPECT_EQ(e.tags, (std::vector<std::string>{"digital", "children"}));
  EXPECT_EQ(e.description, "Bring a laptop");
  EXPECT_EQ(e.url, "https://lib.example.org/e/42");
  EXPECT_EQ(e.authors, std::vector<std::string>{"Ada"});
  EXPECT_EQ(e.audience, "children");
  EXPECT_FALSE(parse_json_events(R"({"events": [{"title": "no start"}]})", opts()).ok());
}

TEST(JsonFeedParser, CatalogueTitles) {
  auto r = parse_json_catalogue(R"({"titles": [
    {"isbn": "0-330-44086-1", "title": "The Raven Black", "authors": ["Ann Cleeves"],
     "subjects": ["Crime", "Shetland"], "format": "Book", "added": "2026-11-02",
     "cover": "https://lib.example.org/c.jpg", "audience": "adult"},
    {"id": "dvd-7", "title": "<i>A Film</i>", "authors": "One; Two", "format": "dvd", "isbn": "123"}]})", opts());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->catalogue.titles.size(), 2u);
  const auto& t = r->catalogue.titles[0];
  EXPECT_EQ(t.id, "isbn:9780330440868");
  EXPECT_EQ(t.kind, "book");
  EXPECT_EQ(t.tags, (std::vector<std::string>{"crime", "shetland"}));
  EXPECT_EQ(t.added, at("2026-11-02"));
  EXPECT_EQ(t.image, "https://lib.example.org/c.jpg");
  const auto& u = r->catalogue.titles[1];
  EXPECT_EQ(u.id, "dvd-7");
  EXPECT_EQ(u.title, "A Film");
  EXPECT_EQ(u.authors, (std::vector<std::string>{"One", "Two"}));
  EXPECT_EQ(r->warnings.size(), 1u);  // the bad ISBN
}

TEST(JsonFeedParser, AnonymousLoans) {
  auto r = parse_json_loans(R"({"loans": {
    "counts": [{"day": "2026-03-01", "title": "isbn:9780330440868", "count": 3}],
    "pairs": [{"day": "2026-03-01", "a": "isbn:9780330440868", "b": "isbn:9780241003008", "count": 2}]}})", opts());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->catalogue.loan_counts.size(), 1u);
  EXPECT_EQ(r->catalogue.loan_counts[0].count, 3);
  ASSERT_EQ(r->catalogue.loan_pairs.size(), 1u);
  EXPECT_EQ(r->catalogue.loan_pairs[0].b, "isbn:9780241003008");
}

TEST(JsonFeedParser, PatronIdentifiersAreRefusedWithoutEchoingThem) {
  auto r = parse_json_loans(R"({"counts": [{"day": "2026-03-01", "title": "t", "patron_id": "P-SECRET-4821"}]})", opts());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/counts/0/patron_id"), std::string::npos);
  EXPECT_EQ(r.error().message.find("SECRET"), std::string::npos);
  EXPECT_FALSE(parse_json_loans(R"({"pairs": [{"day": "2026-03-01", "a": "x", "b": "y", "BorrowerCard": 1}]})", opts()).ok());
}

TEST(JsonFeedParser, BadJsonNamesTheByteOffset) {
  auto r = parse_json_events(R"({"events": [ {"title": "x", )", opts());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("byte offset"), std::string::npos);
  std::string deep(10000, '[');
  r = parse_json_catalogue(deep, opts());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nested deeper"), std::string::npos);
  EXPECT_FALSE(parse_json_catalogue("{\"titles\": [{\"title\": \"\xC3\x28\"}]}", opts()).ok());
}

// Found by fuzz_feeds_json: a number too large for a double made nlohmann throw out_of_range,
// which escaped the parser (tests/fuzz/regressions/feeds_json/crash-number-out-of-range).
TEST(JsonFeedParser, HugeNumberIsAnErrorNotACrash) {
  auto r = parse_json_events(R"({"events": [{"title": "x", "start": 7e7000}]})", opts());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not valid JSON"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace branchcast
