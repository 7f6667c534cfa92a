#include "recommend/ranker.h"

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "recommend/picks.h"
#include "tests/recommend/library_fixture.h"

namespace branchcast {
namespace {

using fixture::small_library;
using fixture::test_now;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

std::vector<std::string> ids(const Ranking& r) {
  std::vector<std::string> out;
  for (const auto& i : r.items) out.push_back(i.id);
  return out;
}

const RankedItem& item(const Ranking& r, const std::string& id) {
  auto it = std::find_if(r.items.begin(), r.items.end(), [&](const RankedItem& i) { return i.id == id; });
  EXPECT_NE(it, r.items.end()) << id;
  return *it;
}

size_t position(const Ranking& r, const std::string& id) {
  const auto v = ids(r);
  return static_cast<size_t>(std::find(v.begin(), v.end(), id) - v.begin());
}

class RankerTest : public ::testing::Test {
 protected:
  RecommenderModel model_ = build_model(small_library(), test_now());
  ScreenSettings lobby_;
};

TEST_F(RankerTest, ModelKeepsCatalogueTitlesAndUpcomingEvents) {
  EXPECT_EQ(model_.title_count, 5u);
  EXPECT_EQ(model_.items.size(), 8u);  // 5 titles + 3 events (the ended one left out)
  EXPECT_EQ(model_.find("past"), nullptr);
  EXPECT_TRUE(model_.find("raven")->popular_now);
  EXPECT_FALSE(model_.find("garden")->popular_now);
  EXPECT_EQ(model_.find("raven")->loans_30d, 20u);
  EXPECT_EQ(model_.find("caterpillar")->audience, "children");  // inferred from its subjects
  EXPECT_EQ(model_.trending.front(), model_.by_id.at("raven"));
  ASSERT_EQ(model_.cooccurrence[model_.by_id.at("raven")].size(), 1u);
  EXPECT_EQ(model_.cooccurrence[model_.by_id.at("raven")][0].item, model_.by_id.at("white"));
}

TEST_F(RankerTest, LobbyScreenRanksEverythingWithReasons) {
  const Ranking r = rank(model_, screen_request(test_now(), lobby_, PresenceLevel::kSome));
  // The ended event is gone, the recurring storytime appears once (its next occurrence).
  // MMR: the talk (score 1.27) beats the picture book (1.23) on relevance but shares Ann Cleeves and
  // crime with the first pick, so the picture book comes first.
  EXPECT_THAT(ids(r), ElementsAre("raven", "story@1", "white", "caterpillar", "history", "talk", "garden"));
  EXPECT_GT(item(r, "talk").score, item(r, "caterpillar").score);
  EXPECT_THAT(item(r, "raven").reasons,
              ElementsAre("related to Author talk: Ann Cleeves, in 2 days here", "often borrowed with White Nights",
                          "popular this month"));
  EXPECT_THAT(item(r, "story@1").reasons, ElementsAre("starts in 1 hour here"));
  EXPECT_THAT(item(r, "talk").reasons, ElementsAre("starts in 2 days here"));
  EXPECT_THAT(item(r, "history").reasons, ElementsAre("new this week"));
  EXPECT_THAT(item(r, "garden").reasons, ElementsAre("in this branch's catalogue"));
  for (const auto& i : r.items) {
    EXPECT_FALSE(i.reasons.empty()) << i.id;
    EXPECT_DOUBLE_EQ(i.score, i.parts.total()) << i.id;
  }
  // The most popular title scores highest; an unborrowed old title with no link scores nothing.
  EXPECT_NEAR(item(r, "raven").parts.popularity, 1.0, 1e-6);
  EXPECT_NEAR(item(r, "garden").score, 0.0, 1e-9);
}

TEST_F(RankerTest, RankingIsDeterministic) {
  const auto req = screen_request(test_now(), lobby_, PresenceLevel::kSome);
  EXPECT_EQ(ranking_json(rank(model_, req), "s", TimeZone::utc()),
            ranking_json(rank(build_model(small_library(), test_now()), req), "s", TimeZone::utc()));
}

TEST_F(RankerTest, ChildrensAreaPrefersChildrensItems) {
  ScreenSettings kids;
  kids.audience = "children";
  const Ranking lobby = rank(model_, screen_request(test_now(), lobby_, PresenceLevel::kSome));
  const Ranking children = rank(model_, screen_request(test_now(), kids, PresenceLevel::kSome));
  EXPECT_EQ(children.items.front().id, "story@1");
  EXPECT_THAT(item(children, "story@1").reasons, Contains("for children"));
  EXPECT_LT(position(children, "caterpillar"), position(children, "white"));
  EXPECT_GT(position(lobby, "caterpillar"), position(lobby, "white"));
  EXPECT_THAT(item(lobby, "caterpillar").reasons, Not(Contains("for children")));
  EXPECT_GT(item(children, "caterpillar").score, item(lobby, "caterpillar").score);
  // Unmarked titles count half against a children's area.
  EXPECT_DOUBLE_EQ(item(children, "raven").parts.audience, -0.5);
  EXPECT_DOUBLE_EQ(item(lobby, "raven").parts.audience, 0.0);
}

TEST_F(RankerTest, PresenceRaisesEventsStartingSoon) {
  auto score_at = [&](PresenceLevel p) { return item(rank(model_, screen_request(test_now(), lobby_, p)), "story@1"); };
  const RankedItem busy = score_at(PresenceLevel::kBusy), some = score_at(PresenceLevel::kSome),
                   empty = score_at(PresenceLevel::kEmpty);
  EXPECT_GT(busy.score, some.score);
  EXPECT_GT(some.score, empty.score);
  EXPECT_THAT(busy.reasons, ElementsAre("starts in 1 hour here", "the library is busy now"));
  EXPECT_THAT(some.reasons, Not(Contains("the library is busy now")));
  // The author talk is two days away: presence now does not change it.
  EXPECT_DOUBLE_EQ(item(rank(model_, screen_request(test_now(), lobby_, PresenceLevel::kBusy)), "talk").score,
                   item(rank(model_, screen_request(test_now(), lobby_, PresenceLevel::kEmpty)), "talk").score);
}

TEST_F(RankerTest, PatronGetsDeclaredInterestsAndNeverPastPrompts) {
  const PatronInterests interests{{"Ann Cleeves"}, {"crime", "local history"}, "adult"};
  const Ranking r = rank(model_, patron_request(test_now(), interests, {"raven", "story"}));
  EXPECT_THAT(ids(r), Not(Contains("raven")));
  EXPECT_THAT(ids(r), Not(Contains("story@1")));  // excluded by UID: every occurrence
  EXPECT_THAT(ids(r), Not(Contains("story@2")));
  EXPECT_EQ(r.items.front().id, "white");
  EXPECT_THAT(item(r, "white").reasons, Contains("by Ann Cleeves, whom you follow"));
  EXPECT_THAT(item(r, "white").reasons, Contains("about crime, which you follow"));
  EXPECT_THAT(item(r, "talk").reasons,
              ElementsAre("Ann Cleeves, whom you follow, talks here in 2 days", "about crime, which you follow"));
  EXPECT_THAT(item(r, "history").reasons, ElementsAre("about local history, which you follow", "new this week"));
  // An adult patron: the picture book comes last.
  EXPECT_EQ(r.items.back().id, "caterpillar");
  EXPECT_LT(item(r, "caterpillar").parts.audience, 0.0);

  const Ranking without = rank(model_, patron_request(test_now(), interests, {}));
  EXPECT_THAT(ids(without), Contains("raven"));
  EXPECT_THAT(ids(without), Contains("story@1"));
}

TEST_F(RankerTest, ContextTitlesSeedCooccurrence) {
  RankRequest req = screen_request(test_now(), lobby_, PresenceLevel::kSome);
  req.context = {"raven"};
  req.kinds = {"book"};
  const Ranking r = rank(model_, req);
  EXPECT_THAT(ids(r), Not(Contains("raven")));
  EXPECT_THAT(ids(r), Not(Contains("talk")));  // kinds: books only
  EXPECT_EQ(r.items.front().id, "white");
  EXPECT_THAT(item(r, "white").reasons, Contains("often borrowed with The Raven Black"));
}

TEST_F(RankerTest, EaseOptionGivesTheSameNeighbourHere) {
  ModelOptions opts;
  opts.ease = true;
  opts.ease_lambda = 1;
  const RecommenderModel m = build_model(small_library(), test_now(), opts);
  EXPECT_EQ(m.ease_items, 4u);  // the four borrowed titles
  ASSERT_EQ(m.ease[m.by_id.at("raven")].size(), 1u);
  EXPECT_EQ(m.ease[m.by_id.at("raven")][0].item, m.by_id.at("white"));
  RankRequest req = screen_request(test_now(), lobby_, PresenceLevel::kSome);
  req.context = {"raven"};
  req.kinds = {"book"};
  req.use_ease = true;
  const Ranking r = rank(m, req);
  EXPECT_EQ(r.items.front().id, "white");
  EXPECT_THAT(r.items.front().reasons, Contains("often borrowed with The Raven Black"));
}

TEST(Ranker, MmrSpreadsAcrossAuthors) {
  using fixture::title;
  Catalogue c;
  for (const char* id : {"a1", "a2", "a3", "a4"}) {
    c.titles.push_back(title(id, id, {"Ann Cleeves"}, {"crime", "shetland"}, "2020-01-01"));
    c.loan_counts.push_back({fixture::day_of(test_now()), id, 10});
  }
  c.titles.push_back(title("g", "Gardening", {"Monty Don"}, {"gardening"}, "2020-01-01"));
  c.loan_counts.push_back({fixture::day_of(test_now()), "g", 8});
  const RecommenderModel m = build_model(c, test_now());
  RankRequest req;
  req.now = test_now();
  req.count = 3;
  req.diversify = false;
  EXPECT_THAT(ids(rank(m, req)), ElementsAre("a1", "a2", "a3"));
  req.diversify = true;
  EXPECT_THAT(ids(rank(m, req)), ElementsAre("a1", "g", "a2"));
  req.mmr_lambda = 1.0;  // relevance only
  EXPECT_THAT(ids(rank(m, req)), ElementsAre("a1", "a2", "a3"));
  EXPECT_DOUBLE_EQ(item_similarity(*m.find("a1"), *m.find("a2")), 1.0);
  EXPECT_DOUBLE_EQ(item_similarity(*m.find("a1"), *m.find("g")), 0.0);
}

TEST(Ranker, LoansOutsideTheCatalogueOrInTheFutureAreIgnored) {
  Catalogue c = small_library();
  c.loan_counts.push_back({fixture::day_of(test_now() + std::chrono::days(3)), "garden", 500});
  c.loan_pairs.push_back({fixture::day_of(test_now()), "garden", "unknown", 50});
  const RecommenderModel m = build_model(c, test_now());
  EXPECT_EQ(m.find("garden")->popularity, 0.0f);
  EXPECT_TRUE(m.cooccurrence[m.by_id.at("garden")].empty());
}

TEST(Ranker, AudienceIsGivenOrInferred) {
  EXPECT_EQ(infer_audience("Teen", {"children"}, {}), "teen");
  EXPECT_EQ(infer_audience("", {"crime"}, {"Picture Books"}), "children");
  EXPECT_EQ(infer_audience("", {"young adult"}, {"adult"}), "teen");
  EXPECT_EQ(infer_audience("", {}, {"author", "adult"}), "adult");
  EXPECT_EQ(infer_audience("", {"crime"}, {"author"}), "");
}

TEST(Ranker, RelativeTimes) {
  using std::chrono::minutes;
  EXPECT_EQ(relative_time(minutes(0)), "in under a minute");
  EXPECT_EQ(relative_time(minutes(1)), "in 1 minute");
  EXPECT_EQ(relative_time(minutes(45)), "in 45 minutes");
  EXPECT_EQ(relative_time(minutes(60)), "in 1 hour");
  EXPECT_EQ(relative_time(minutes(23 * 60 + 59)), "in 23 hours");
  EXPECT_EQ(relative_time(minutes(2 * 24 * 60)), "in 2 days");
}

TEST(Ranker, EmptyModelGivesEmptyRanking) {
  const RecommenderModel m = build_model(Catalogue{}, test_now());
  EXPECT_TRUE(rank(m, RankRequest{}).items.empty());
}

}  // namespace
}  // namespace branchcast
