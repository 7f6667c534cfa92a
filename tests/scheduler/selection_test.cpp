// Selection semantics of formats.md section 2, rule by rule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scheduler_fixtures.h"

namespace branchcast {
namespace {

using namespace branchcast::testing;
using ::testing::ElementsAre;

PlaylistSettings two_images() {
  PlaylistSettings p;
  p.default_items = {image("a.png", 10), image("b.png", 5)};
  return p;
}

TEST(Selection, DefaultPlaysInOrderAndLoops) {
  EXPECT_THAT(simulate(inputs(two_images()), "2026-03-02T09:00", "2026-03-02T09:00:20"),
              ElementsAre("2026-03-02T09:00:00+00:00\tdefault\timage\ta.png\t10.0s",
                          "2026-03-02T09:00:10+00:00\tdefault\timage\tb.png\t5.0s",
                          "2026-03-02T09:00:15+00:00\tdefault\timage\ta.png\t10.0s"));
}

TEST(Selection, RuleChangeWaitsForTheCurrentItemToEnd) {
  auto p = two_images();
  p.rules.push_back(rule("Morning", 10, {text("Good morning", 4)}, at_time("09:00-10:00")));
  EXPECT_THAT(simulate(inputs(p), "2026-03-02T08:59:55", "2026-03-02T09:00:10"),
              ElementsAre("2026-03-02T08:59:55+00:00\tdefault\timage\ta.png\t10.0s",
                          "2026-03-02T09:00:05+00:00\tMorning\ttext\tGood morning\t4.0s",
                          "2026-03-02T09:00:09+00:00\tMorning\ttext\tGood morning\t4.0s"));
}

TEST(Selection, InterruptCutsInAtOnceAndShowsTheShortenedTime) {
  auto p = two_images();
  p.rules.push_back(rule("Closing soon", 30, {text("The library closes at 8pm.", 20)},
                         at_time("19:45-20:00"), /*interrupt=*/true));
  EXPECT_THAT(simulate(inputs(p), "2026-03-02T19:44:57", "2026-03-02T19:45:01"),
              ElementsAre("2026-03-02T19:44:57+00:00\tdefault\timage\ta.png\t3.0s",
                          "2026-03-02T19:45:00+00:00\tClosing soon\ttext\tThe library closes at 8pm.\t20.0s"));
}

TEST(Selection, HighestPriorityWinsAndTiesPlayInFileOrder) {
  auto p = two_images();
  p.rules.push_back(rule("Low", 1, {image("low.png", 5)}));
  p.rules.push_back(rule("First", 5, {image("first.png", 5)}));
  p.rules.push_back(rule("Second", 5, {image("second.png", 5)}));
  EXPECT_THAT(simulate(inputs(p), "2026-03-02T12:00", "2026-03-02T12:00:15"),
              ElementsAre("2026-03-02T12:00:00+00:00\tFirst\timage\tfirst.png\t5.0s",
                          "2026-03-02T12:00:05+00:00\tSecond\timage\tsecond.png\t5.0s",
                          "2026-03-02T12:00:10+00:00\tFirst\timage\tfirst.png\t5.0s"));
}

TEST(Selection, SequenceRestartsFromItsFirstItemWhenActiveAgain) {
  PlaylistSettings p;
  p.default_items = {image("d1.png", 10), image("d2.png", 10), image("d3.png", 10)};
  p.rules.push_back(rule("Flash", 10, {image("flash.png", 5)}, at_time("12:00-12:01"), true));
  auto lines = simulate(inputs(p), "2026-03-02T11:59:45", "2026-03-02T12:01:20");
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0], "2026-03-02T11:59:45+00:00\tdefault\timage\td1.png\t10.0s");
  EXPECT_EQ(lines[1], "2026-03-02T11:59:55+00:00\tdefault\timage\td2.png\t5.0s");
  // ... the flash rule runs for a minute; afterwards default starts again from d1, not d3.
  auto after = std::find_if(lines.begin(), lines.end(),
                            [](const std::string& l) { return l.find("12:01:0") != std::string::npos; });
  ASSERT_NE(after, lines.end());
  EXPECT_NE(after->find("\td1.png\t"), std::string::npos) << *after;
}

TEST(Selection, EventsItemExpandsToOneCardPerEventAndIsSkippedWithoutMatches) {
  PlaylistSettings p;
  p.default_items = {image("a.png", 10), events("events", {"storytime"}, 3, 8, std::chrono::days(7)),
                     events("events", {"nothing-has-this"}, 3, 8)};
  auto in = inputs(p);
  TimePoint t0 = at(in, "2026-03-02T09:00");
  Scheduler s(in);
  s.set_events({event("st-1", t0 + std::chrono::hours(1), std::chrono::minutes(45), {"storytime"}),
                event("talk", t0 + std::chrono::hours(2), std::chrono::hours(1), {"author"}),
                event("st-2", t0 + std::chrono::days(2), std::chrono::minutes(45), {"storytime"}),
                event("st-far", t0 + std::chrono::days(9), std::chrono::minutes(45), {"storytime"})},
               t0);
  std::vector<std::string> lines;
  for (const auto& e : simulate_timeline(s, t0, t0 + std::chrono::seconds(30)))
    lines.push_back(format_timeline_line(e, in.zone));
  EXPECT_THAT(lines, ElementsAre("2026-03-02T09:00:00+00:00\tdefault\timage\ta.png\t10.0s",
                                 "2026-03-02T09:00:10+00:00\tdefault\tevents\tst-1\t8.0s",
                                 "2026-03-02T09:00:18+00:00\tdefault\tevents\tst-2\t8.0s",
                                 "2026-03-02T09:00:26+00:00\tdefault\timage\ta.png\t10.0s"));
}

TEST(Selection, BeforeEventIsActiveFromLeadUntilStart) {
  auto p = two_images();
  WhenCondition w;
  w.before_event = BeforeEventCondition{"events", {"author"}, std::chrono::minutes(45)};
  p.rules.push_back(rule("Countdown", 20, {events("events", {"author"}, 1, 15)}, w, true));
  auto in = inputs(p);
  TimePoint talk = at(in, "2026-03-02T19:00");
  Scheduler s(in);
  s.set_events({event("talk", talk, std::chrono::hours(1), {"author"})}, talk - std::chrono::hours(2));
  auto timeline = simulate_timeline(s, talk - std::chrono::seconds(45 * 60 + 57), talk + std::chrono::seconds(30));
  std::vector<std::string> lines;
  for (const auto& e : timeline) lines.push_back(format_timeline_line(e, in.zone));
  // 18:14:03 a, :13 b, :18 a, :28 b, :33 a, :43 b, :48 a, :58 b cut at 18:15:00 by the countdown.
  ASSERT_GE(lines.size(), 10u);
  EXPECT_EQ(lines[7], "2026-03-02T18:14:58+00:00\tdefault\timage\tb.png\t2.0s");
  EXPECT_EQ(lines[8], "2026-03-02T18:15:00+00:00\tCountdown\tevents\ttalk\t15.0s");
  // 180 countdown cards fill the 45 minutes; at 19:00 the rule has ended and default resumes.
  EXPECT_EQ(lines[8 + 179].substr(0, 35), "2026-03-02T18:59:45+00:00\tCountdown");
  EXPECT_EQ(lines[8 + 180], "2026-03-02T19:00:00+00:00\tdefault\timage\ta.png\t10.0s");
}

TEST(Selection, PresenceLevelAppliesWhenTheItemEnds) {
  auto p = two_images();
  WhenCondition busy;
  busy.presence = PresenceLevel::kBusy;
  p.rules.push_back(rule("Busy", 5, {image("busy.png", 6)}, busy));
  auto in = inputs(p);
  TimePoint t0 = at(in, "2026-03-02T14:00");
  Scheduler s(in);
  s.start(t0);
  EXPECT_EQ(s.showing().ref, "a.png");
  s.set_presence(PresenceLevel::kBusy, t0 + std::chrono::seconds(3));
  EXPECT_EQ(s.showing().ref, "a.png");  // not an interrupt: a.png finishes
  s.tick(t0 + std::chrono::seconds(10));
  EXPECT_EQ(s.showing().ref, "busy.png");
  EXPECT_EQ(s.showing().rule, "Busy");
}

TEST(Selection, RuleEndingMidItemLetsTheItemFinish) {
  auto p = two_images();
  p.rules.push_back(rule("Ten minutes", 10, {image("r.png", 15)}, at_time("09:00-09:10")));
  auto lines = simulate(inputs(p), "2026-03-02T09:09:50", "2026-03-02T09:10:10");
  EXPECT_THAT(lines, ElementsAre("2026-03-02T09:09:50+00:00\tTen minutes\timage\tr.png\t15.0s",
                                 "2026-03-02T09:10:05+00:00\tdefault\timage\ta.png\t10.0s"));
}

TEST(Selection, UnknownVideoLengthUsesPlaceholderAndKnownLengthIsUsed) {
  PlaylistSettings p;
  p.default_items = {video("known.webm"), video("unknown.webm")};
  auto in = inputs(p);
  in.media_length = [](const PlaylistItem& i) -> std::optional<Duration> {
    if (i.path == "known.webm") return Duration(12'000);
    return std::nullopt;
  };
  Scheduler s(in);
  s.start(at(in, "2026-03-02T09:00"));
  EXPECT_EQ(s.showing().planned_end - s.showing().start, Duration(12'000));
  EXPECT_FALSE(s.showing().length_is_placeholder);
  s.tick(s.next_deadline());
  EXPECT_EQ(s.showing().ref, "unknown.webm");
  EXPECT_TRUE(s.showing().length_is_placeholder);
  EXPECT_EQ(s.showing().planned_end - s.showing().start, kUnknownVideoLength);
}

TEST(Selection, UpcomingPredictsTheNextItemForPreroll) {
  auto in = inputs(two_images());
  Scheduler s(in);
  s.start(at(in, "2026-03-02T09:00"));
  auto next = s.upcoming();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->ref, "b.png");
  EXPECT_EQ(s.showing().ref, "a.png");  // the prediction changed nothing
}

}  // namespace
}  // namespace branchcast
