#include "recommend/picks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/recommend/library_fixture.h"

namespace branchcast {
namespace {

using fixture::test_now;

class PicksTest : public ::testing::Test {
 protected:
  RecommenderModel model_ = build_model(fixture::small_library(), test_now());
  Ranking ranking_ = rank(model_, screen_request(test_now(), ScreenSettings{}, PresenceLevel::kSome));
};

TEST_F(PicksTest, TopNFilteredByKinds) {
  RecommendedQuery q;
  q.count = 2;
  q.kinds = {"book"};
  const auto books = to_recommendations(ranking_, q, model_, TimeZone::utc());
  ASSERT_EQ(books.size(), 2u);
  EXPECT_EQ(books[0].id, "raven");
  EXPECT_EQ(books[0].kind, "book");
  EXPECT_EQ(books[0].subtitle, "Ann Cleeves");
  EXPECT_EQ(books[1].id, "white");

  q.kinds = {"event"};
  const auto events = to_recommendations(ranking_, q, model_, TimeZone::load("Europe/London").value());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, "story@1");
  EXPECT_EQ(events[0].title, "Storytime");
  EXPECT_EQ(events[0].subtitle, "Mon 30 Nov 11:00, Room B");
  EXPECT_EQ(events[1].subtitle, "Wed 2 Dec 10:00, Room B");

  q.kinds = {};
  q.count = 10;
  EXPECT_EQ(to_recommendations(ranking_, q, model_, TimeZone::utc()).size(), ranking_.items.size());
  q.count = 0;
  EXPECT_TRUE(to_recommendations(ranking_, q, model_, TimeZone::utc()).empty());
}

TEST_F(PicksTest, PicksForAScreenItem) {
  ScreenSettings kids;
  kids.audience = "children";
  RecommendedQuery q;
  q.count = 3;
  q.kinds = {"book", "event"};
  const auto picks = picks_for_screen(model_, kids, PresenceLevel::kSome, q, test_now(), TimeZone::utc());
  ASSERT_EQ(picks.size(), 3u);
  EXPECT_EQ(picks[0].id, "story@1");
  EXPECT_EQ(picks[0].subtitle, "Mon 30 Nov 11:00, Room B");
  q.kinds = {"dvd"};
  EXPECT_TRUE(picks_for_screen(model_, kids, PresenceLevel::kSome, q, test_now(), TimeZone::utc()).empty());
}

TEST_F(PicksTest, JsonHasTheFormatsShape) {
  const auto j = nlohmann::json::parse(ranking_json(ranking_, "screen:entrance", TimeZone::utc()));
  EXPECT_EQ(j["at"], "2026-11-30T10:00:00+00:00");
  EXPECT_EQ(j["for"], "screen:entrance");
  ASSERT_EQ(j["items"].size(), ranking_.items.size());
  const auto& first = j["items"][0];
  EXPECT_EQ(first["id"], "raven");
  EXPECT_EQ(first["kind"], "book");
  EXPECT_EQ(first["title"], "The Raven Black");
  EXPECT_NEAR(first["score"].get<double>(), ranking_.items[0].score, 1e-4);
  EXPECT_EQ(first["reasons"][2], "popular this month");
}

TEST(Picks, JsonEscapesTitles) {
  Ranking r;
  r.items.push_back({"x", "book", "Say \"hi\"\n", "", "", 0.5, {}, {"a\\b"}});
  const auto j = nlohmann::json::parse(ranking_json(r, "patron", TimeZone::utc()));
  EXPECT_EQ(j["items"][0]["title"], "Say \"hi\"\n");
  EXPECT_EQ(j["items"][0]["reasons"][0], "a\\b");
}

}  // namespace
}  // namespace branchcast
