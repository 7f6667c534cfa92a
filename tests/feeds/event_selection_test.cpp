// Event cards and countdowns: time is a value.
#include <gtest/gtest.h>

#include "feeds/event_selection.h"

namespace branchcast {
namespace {

const TimeZone& london() {
  static TimeZone z = *TimeZone::load("Europe/London");
  return z;
}
TimePoint at(const char* local) { return *london().parse_iso(local); }

CatalogueEvent ev(const char* id, const char* start, const char* end, std::vector<std::string> tags,
                  const char* feed = "events") {
  CatalogueEvent e;
  e.id = e.uid = id;
  e.feed = feed;
  e.start = at(start);
  e.end = at(end);
  e.tags = std::move(tags);
  return e;
}

std::vector<CatalogueEvent> sample() {
  return {ev("talk", "2026-03-05T19:00", "2026-03-05T20:00", {"author"}),
          ev("story2", "2026-03-04T09:30", "2026-03-04T10:15", {"storytime", "children"}),
          ev("story1", "2026-03-02T09:30", "2026-03-02T10:15", {"Storytime"}),
          ev("other", "2026-03-02T09:00", "2026-03-02T12:00", {"storytime"}, "elsewhere")};
}

std::vector<std::string> ids(const std::vector<CatalogueEvent>& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.id);
  return out;
}

TEST(EventSelection, NextByTagWithinAWindow) {
  EventsQuery q;
  q.feed = "events";
  q.tags = {"storytime"};
  q.next = 3;
  EXPECT_EQ(ids(next_events(sample(), q, at("2026-03-01T12:00"))), (std::vector<std::string>{"story1", "story2"}));
  q.within = std::chrono::hours(12);
  EXPECT_EQ(ids(next_events(sample(), q, at("2026-03-01T12:00"))), std::vector<std::string>{});
  q.within.reset();
  q.next = 1;
  EXPECT_EQ(ids(next_events(sample(), q, at("2026-03-01T12:00"))), std::vector<std::string>{"story1"});
  q.tags = {};
  q.next = 10;
  EXPECT_EQ(ids(next_events(sample(), q, at("2026-03-01T12:00"))),
            (std::vector<std::string>{"story1", "story2", "talk"}));
}

TEST(EventSelection, AnEventDisappearsWhenItEnds) {
  EventsQuery q;
  q.tags = {"storytime"};
  q.feed = "events";
  EXPECT_EQ(ids(next_events(sample(), q, at("2026-03-02T10:14:59.999"))).front(), "story1");  // ongoing
  EXPECT_EQ(ids(next_events(sample(), q, at("2026-03-02T10:15"))).front(), "story2");         // ended
}

TEST(EventSelection, NextStartForBeforeEventRules) {
  auto s = sample();
  EXPECT_EQ(next_event_start(s, "events", {"author"}, at("2026-03-05T18:00")), at("2026-03-05T19:00"));
  EXPECT_EQ(next_event_start(s, "events", {"author"}, at("2026-03-05T19:00")), std::nullopt);
}

TEST(EventSelection, CountdownTexts) {
  auto e = ev("talk", "2026-03-05T19:00", "2026-03-05T20:00", {});
  auto text = [&](const char* now) { return countdown_text(e, at(now), london()); };
  EXPECT_EQ(text("2026-02-20T10:00"), "Thu 5 Mar 19:00");
  EXPECT_EQ(text("2026-03-01T10:00"), "Thu 19:00");
  EXPECT_EQ(text("2026-03-04T23:59:59.999"), "Tomorrow 19:00");
  EXPECT_EQ(text("2026-03-05T00:00"), "Today 19:00");
  EXPECT_EQ(text("2026-03-05T17:59"), "Today 19:00");
  EXPECT_EQ(text("2026-03-05T18:00"), "Starts in 60 min");
  EXPECT_EQ(text("2026-03-05T18:48"), "Starts in 12 min");
  EXPECT_EQ(text("2026-03-05T18:59:30"), "Starting now");
  EXPECT_EQ(text("2026-03-05T19:00"), "Now until 20:00");
  EXPECT_EQ(text("2026-03-05T20:00"), "Ended");
  auto summer = ev("bst", "2026-07-01T10:30", "2026-07-01T11:00", {});
  EXPECT_EQ(countdown_text(summer, at("2026-07-01T08:00"), london()), "Today 10:30");
  auto day = ev("closed", "2026-03-06T00:00", "2026-03-07T00:00", {});
  day.all_day = true;
  EXPECT_EQ(countdown_text(day, at("2026-03-05T12:00"), london()), "Tomorrow");
  EXPECT_EQ(countdown_text(day, at("2026-03-06T12:00"), london()), "Today");
}

}  // namespace
}  // namespace branchcast
