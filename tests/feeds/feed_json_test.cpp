// The exact normalized JSON of `feeds show` (formats.md section 3).
#include <gtest/gtest.h>

#include "feeds/feed_json.h"
#include "feeds/feed_parser.h"

namespace branchcast {
namespace {

TEST(FeedJson, ExactShapeForARecurringEventInTheFeedZone) {
  FeedParseOptions o;
  o.window_start = *TimeZone::utc().parse_iso("2026-07-01");
  o.window_end = *TimeZone::utc().parse_iso("2026-07-09");
  auto r = parse_ical("BEGIN:VCALENDAR\r\nX-WR-TIMEZONE:Europe/London\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
                      "DTSTART:20260702T090000\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\n"
                      "SUMMARY:Rhymes\r\nCATEGORIES:Children\r\nURL:https://x.example/e\r\n"
                      "END:VEVENT\r\nEND:VCALENDAR\r\n", o);
  ASSERT_TRUE(r.ok());
  FeedJsonZones zones;
  zones.feed = *TimeZone::load(r->zone);
  std::string expected = R"({
  "feed": "ical",
  "items": [
    {
      "id": "u1@2026-07-02T08:00:00Z",
      "title": "Rhymes",
      "start": "2026-07-02T09:00:00+01:00",
      "end": "2026-07-02T10:00:00+01:00",
      "all_day": false,
      "location": "",
      "tags": [
        "children"
      ],
      "description": "",
      "url": "https://x.example/e",
      "image": "",
      "authors": [],
      "subjects": [],
      "kind": "event",
      "people": []
    }
  ]
}
)";
  EXPECT_EQ(feed_json(FeedKind::kIcal, r->catalogue, zones), expected);
}

TEST(FeedJson, TitlesAfterEventsWhenUndated) {
  Catalogue c;
  CatalogueTitle t;
  t.id = "isbn:9780330440868";
  t.title = "The Raven Black";
  c.titles.push_back(t);
  FeedJsonZones zones;
  std::string out = feed_json(FeedKind::kRss, c, zones);
  EXPECT_NE(out.find("\"start\": null"), std::string::npos);
  EXPECT_NE(out.find("\"feed\": \"rss\""), std::string::npos);
}

TEST(FeedJson, EventPeopleFromOrganizerAndAttendeeArePrinted) {
  FeedParseOptions o;
  o.window_start = *TimeZone::utc().parse_iso("2026-07-01");
  o.window_end = *TimeZone::utc().parse_iso("2026-07-09");
  auto r = parse_ical("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u2\r\nDTSTART:20260702T180000Z\r\n"
                      "SUMMARY:An evening with a novelist\r\n"
                      "ORGANIZER;CN=Central Library:mailto:events@library.example.org\r\n"
                      "ATTENDEE;CN=\"Cleeves, Ann\":mailto:noreply@example.org\r\n"
                      "END:VEVENT\r\nEND:VCALENDAR\r\n", o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->catalogue.events.size(), 1u);
  std::string out = feed_json(FeedKind::kIcal, r->catalogue, FeedJsonZones{});
  EXPECT_NE(out.find("\"people\": [\n        \"Central Library\",\n        \"Cleeves, Ann\"\n      ]"),
            std::string::npos) << out;
  // Titles carry the same keys; their people are their authors, printed under "authors".
  Catalogue c;
  c.titles.push_back(CatalogueTitle{});
  EXPECT_NE(feed_json(FeedKind::kRss, c, FeedJsonZones{}).find("\"people\": []"), std::string::npos);
}

}  // namespace
}  // namespace branchcast
