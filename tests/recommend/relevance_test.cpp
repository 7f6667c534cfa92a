// Patron mode puts relevance to declared interests first (issue 16): held-out scenarios, names in
// events, MMR among the relevant only, and bad input.
#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "recommend/picks.h"
#include "recommend/ranker.h"
#include "tests/recommend/library_fixture.h"

namespace branchcast {
namespace {

using fixture::at;
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
  static const RankedItem missing;
  auto it = std::find_if(r.items.begin(), r.items.end(), [&](const RankedItem& i) { return i.id == id; });
  EXPECT_NE(it, r.items.end()) << id;
  return it == r.items.end() ? missing : *it;
}

size_t position(const Ranking& r, const std::string& id) {
  const auto v = ids(r);
  return static_cast<size_t>(std::find(v.begin(), v.end(), id) - v.begin());
}

CatalogueEvent event(std::string id, std::string title, TimePoint start, std::vector<std::string> tags = {},
                     std::string description = "") {
  CatalogueEvent e;
  e.id = e.uid = std::move(id);
  e.feed = "events";
  e.title = std::move(title);
  e.start = start;
  e.end = start + std::chrono::hours(1);
  e.tags = std::move(tags);
  e.description = std::move(description);
  e.location = "Room B";
  return e;
}

// The branch of issue 16: new arrivals with authors and categories, an events calendar without
// author fields. Popular titles outside the readers' interests, and a busy children's programme.
Catalogue branch() {
  using std::chrono::days;
  using std::chrono::hours;
  const TimePoint now = test_now();  // Monday 30 Nov 2026 10:00 UTC
  Catalogue c;
  using fixture::title;
  c.titles.push_back(title("dark-wives", "The Dark Wives", {"Cleeves, Ann"}, {"Crime", "Detective stories"}, "2026-11-20"));
  c.titles.push_back(title("raging", "The Raging Storm", {"Ann Cleeves"}, {"crime"}, "2026-11-10"));
  c.titles.push_back(title("thursday", "The Thursday Murder Club", {"Richard Osman"}, {"crime"}, "2026-10-01"));
  c.titles.push_back(title("mill", "Mills of the Valley", {"Parish Society"}, {"Local history"}, "2026-11-25"));
  c.titles.push_back(title("bake", "Bake Off: The Book", {"Prue Leith"}, {"cookery"}, "2026-11-28"));
  c.titles.push_back(title("gruffalo", "The Gruffalo", {"Julia Donaldson"}, {"picture books"}, "2026-11-28"));
  for (const char* popular : {"bake", "gruffalo"})
    for (int d = 1; d < 20; ++d) c.loan_counts.push_back({fixture::day_of(now - days(d)), popular, 30});
  c.loan_counts.push_back({fixture::day_of(now - days(2)), "thursday", 2});
  const TimePoint tomorrow_7pm = now + days(1) + hours(9);
  c.events.push_back(event("talk", "Ann Cleeves in conversation", tomorrow_7pm));
  c.events.push_back(event("knit", "Knit and natter", tomorrow_7pm, {}, ""));
  c.events.push_back(event("rhyme", "Baby rhymetime", now + hours(2), {"storytime", "children"},
                           "Songs and rhymes for babies and carers."));
  c.events.push_back(event("walk", "Town walk", now + days(3), {"walks"},
                           "A guided walk through the local history of the market town."));
  c.events.push_back(event("crime-night", "Crime fiction evening", now + days(4)));
  return c;
}

struct RelevanceTest : ::testing::Test {
  RecommenderModel model = build_model(branch(), test_now());
  PatronInterests crime_reader{{"Ann Cleeves"}, {"crime"}, "adult"};
  PatronInterests history_reader{{}, {"local history"}, "adult"};

  Ranking for_patron(const PatronInterests& in, size_t count = 50) {
    RankRequest r = patron_request(test_now(), in, {});
    r.count = count;
    return rank(model, r);
  }
};

// Nothing that matches none of the declared interests ranks above something that matches.
void expect_relevant_first(const Ranking& r) {
  bool seen_unmatched = false;
  for (const auto& i : r.items) {
    if (i.relevance < r.declared) seen_unmatched = true;
    else EXPECT_FALSE(seen_unmatched) << i.id << " (matching) ranks below an item that matches nothing";
  }
}

TEST_F(RelevanceTest, HeldOutAnnCleevesTalkBeatsKnitAndNatterAndBabyRhymetime) {
  const Ranking r = for_patron(crime_reader);
  EXPECT_EQ(r.declared, 2);
  expect_relevant_first(r);
  EXPECT_EQ(r.items.front().id, "talk");
  EXPECT_EQ(r.items.front().reasons.front(), "Ann Cleeves, whom you follow, talks here tomorrow");
  EXPECT_THAT(r.items.front().matched_authors, ElementsAre("Ann Cleeves"));
  EXPECT_EQ(item(r, "knit").relevance, 0);
  EXPECT_EQ(item(r, "rhyme").relevance, 0);
  for (const char* matching : {"talk", "dark-wives", "raging", "thursday", "crime-night"}) {
    EXPECT_EQ(item(r, matching).relevance, 2) << matching;
    EXPECT_LT(position(r, matching), position(r, "rhyme")) << matching;
    EXPECT_LT(position(r, matching), position(r, "knit")) << matching;
  }
  // "Cleeves, Ann" in a feed's author field is the same person; "Crime" the same subject.
  EXPECT_THAT(item(r, "dark-wives").reasons, Contains("by Ann Cleeves, whom you follow"));
  EXPECT_THAT(item(r, "dark-wives").reasons, Contains("about crime, which you follow"));
  // A subject found in an event's title words.
  EXPECT_THAT(item(r, "crime-night").reasons, Contains("about crime, which you follow"));
}

TEST_F(RelevanceTest, HeldOutLocalHistoryReaderNeverGetsBabyRhymetimeFirst) {
  const Ranking r = for_patron(history_reader);
  expect_relevant_first(r);
  EXPECT_EQ(item(r, "mill").relevance, 2);
  EXPECT_EQ(item(r, "walk").relevance, 2);  // the phrase in its description
  EXPECT_THAT(item(r, "walk").reasons, Contains("about local history, which you follow"));
  EXPECT_GT(position(r, "rhyme"), std::max(position(r, "mill"), position(r, "walk")));
  EXPECT_EQ(item(r, "talk").relevance, 0);
}

TEST_F(RelevanceTest, AuthorsFoundInAttendeesDescriptionsAndAnySpelling) {
  Catalogue c = branch();
  CatalogueEvent panel = event("panel", "Crime writers' panel", test_now() + std::chrono::days(2));
  panel.people = {"Library Events Team", "Cleeves, Ann"};  // iCal ORGANIZER / ATTENDEE CN
  c.events.push_back(panel);
  CatalogueEvent evening = event("evening", "An evening of stories", test_now() + std::chrono::days(5), {},
                                 "Join ANN CLÉEVES, creator of Vera, for readings.");
  c.events.push_back(evening);
  model = build_model(c, test_now());
  for (const char* spelling : {"Ann Cleeves", "cleeves, ann", "ANN  CLEEVES", "Ann Cléeves", "Cleeves, Ann, 1954-"}) {
    const Ranking r = for_patron({{spelling}, {}, ""});
    for (const char* id : {"panel", "evening", "talk", "dark-wives", "raging"})
      EXPECT_EQ(item(r, id).relevance, 2) << spelling << " / " << id;
    EXPECT_EQ(item(r, "thursday").relevance, 0) << spelling;
    expect_relevant_first(r);
  }
  const Ranking r = for_patron({{"Ann Cleeves"}, {}, ""});
  EXPECT_EQ(item(r, "panel").reasons.front(), "Ann Cleeves, whom you follow, talks here in 2 days");
  // A name is matched whole: following "Ann" alone matches nobody.
  EXPECT_EQ(item(for_patron({{"Ann"}, {}, ""}), "talk").relevance, 0);
}

TEST_F(RelevanceTest, MmrOnlyReordersItemsOfTheSameRelevance) {
  using fixture::title;
  Catalogue c;
  for (const char* id : {"a1", "a2", "a3", "a4"}) {
    c.titles.push_back(title(id, id, {"Ann Cleeves"}, {"crime", "shetland"}, "2020-01-01"));
    c.loan_counts.push_back({fixture::day_of(test_now()), id, 10});
  }
  c.titles.push_back(title("g", "Gardening", {"Monty Don"}, {"gardening"}, "2020-01-01"));
  c.loan_counts.push_back({fixture::day_of(test_now()), "g", 80});
  model = build_model(c, test_now());
  RankRequest req = patron_request(test_now(), {{"Ann Cleeves"}, {}, ""}, {});
  req.count = 5;
  EXPECT_EQ(ids(rank(model, req)).back(), "g");  // popular, diverse, and irrelevant: last
  // Screens keep the blend and MMR alone: there the popular title leads.
  RankRequest screen;
  screen.now = test_now();
  screen.count = 3;
  EXPECT_EQ(ids(rank(model, screen)).front(), "g");
}

TEST_F(RelevanceTest, BadInterestsGiveClearResultsNotRandomPrompts) {
  // Empty interests: nothing is relevant (declared 0), the ranking is the plain blend.
  const Ranking empty = for_patron({});
  EXPECT_EQ(empty.declared, 0);
  for (const auto& i : empty.items) EXPECT_EQ(i.relevance, 0);
  // Odd Unicode: empty names, whitespace, invalid bytes, emoji, NBSP and zero-width spaces.
  const PatronInterests odd{{"", "   ", "\xff\xfe", "\xF0\x9F\x99\x82", "Ann\xC2\xA0" "Cleeves", "\xE2\x80\x8B"},
                            {"", "\xe2\x80\x94", "Crime\xE2\x80\x8B", "\xc3"},
                            "\xff"};
  const Ranking r = for_patron(odd);
  EXPECT_EQ(r.declared, 2);
  EXPECT_EQ(r.items.front().id, "talk");
  EXPECT_EQ(item(r, "thursday").relevance, 2);  // "Crime" + zero-width space is "crime"
  expect_relevant_first(r);
  // Only ages declared: items for that audience are relevant (level 1).
  const Ranking kids = for_patron({{}, {}, "children"});
  EXPECT_EQ(kids.declared, 1);
  EXPECT_EQ(kids.items.front().relevance, 1);
  EXPECT_THAT((std::vector<std::string>{"rhyme", "gruffalo"}), Contains(kids.items.front().id));
}

TEST_F(RelevanceTest, CatalogueWithoutAuthorsAndEventsWithoutDescriptions) {
  Catalogue c = branch();
  for (auto& t : c.titles) t.authors.clear();
  for (auto& e : c.events) e.description.clear();
  model = build_model(c, test_now());
  const Ranking r = for_patron(crime_reader);
  EXPECT_EQ(item(r, "talk").relevance, 2);        // the name is in its title
  EXPECT_EQ(item(r, "dark-wives").relevance, 2);  // still crime
  EXPECT_EQ(item(r, "walk").relevance, 0);
  expect_relevant_first(r);
  const Ranking history = for_patron(history_reader);
  EXPECT_EQ(item(history, "walk").relevance, 0);  // no description: only the title and tags say anything
  EXPECT_EQ(item(history, "mill").relevance, 2);
}

TEST_F(RelevanceTest, JsonCarriesWhatMatched) {
  const std::string json = ranking_json(for_patron(crime_reader, 2), "patron", TimeZone::utc());
  EXPECT_NE(json.find("\"reasons\": [\"Ann Cleeves, whom you follow, talks here tomorrow\"]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"matched\": [\"Ann Cleeves\"]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"relevance\": 2"), std::string::npos) << json;
}

}  // namespace
}  // namespace branchcast
