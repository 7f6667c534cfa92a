// The scheduler when the wall clock is set (NTP's first sync on a Pi without RTC, a bad time
// source corrected): it starts again at the new time instead of replaying the gap item by item or
// holding the showing until the old deadlines come round again. Fake clock: time is a value.
#include <gtest/gtest.h>

#include "scheduler_fixtures.h"

namespace branchcast {
namespace {

using namespace branchcast::testing;
using namespace std::chrono;

PlaylistSettings a_b_and_lunch(int seconds) {
  PlaylistSettings p;
  p.default_items = {image("a.png", seconds), image("b.png", seconds)};
  p.rules.push_back(rule("Lunch", 10, {image("lunch.png", seconds), image("menu.png", seconds)}, at_time("12:00-13:00")));
  return p;
}

void expect_same_showing(const Showing& got, const Showing& want) {
  EXPECT_EQ(got.mode, want.mode);
  EXPECT_EQ(got.rule, want.rule);
  EXPECT_EQ(got.ref, want.ref);
  EXPECT_EQ(got.start, want.start);
  EXPECT_EQ(got.planned_end, want.planned_end);
}

TEST(SchedulerClockStep, ForwardJumpOfSixMonthsStartsAgainInsteadOfReplaying) {
  auto in = inputs(a_b_and_lunch(60));
  Scheduler s(in);
  s.start(at(in, "2026-03-02T09:00"));
  uint64_t serial = s.showing().serial;
  TimePoint jumped = at(in, "2026-09-02T12:30:05");  // ~263,000 one-minute items later
  EXPECT_TRUE(s.tick(jumped));
  EXPECT_EQ(s.showing().serial, serial + 1);  // one new showing, not one per item in between
  Scheduler fresh(in);
  fresh.start(jumped);
  expect_same_showing(s.showing(), fresh.showing());
  EXPECT_EQ(s.showing().ref, "lunch.png");
  EXPECT_EQ(s.next_deadline(), jumped + minutes(1));
}

TEST(SchedulerClockStep, BackwardStepOfThreeHoursChangesAtTheNextItemEndFromTheStep) {
  auto in = inputs(a_b_and_lunch(10));
  Scheduler s(in);
  TimePoint t0 = at(in, "2026-03-02T17:00");
  s.start(t0);
  s.tick(t0 + seconds(4));
  EXPECT_EQ(s.showing().ref, "a.png");
  // Set back by less than the threshold: nothing changes, the item ends as planned.
  uint64_t serial = s.showing().serial;
  EXPECT_FALSE(s.tick(t0 + seconds(3)));
  EXPECT_EQ(s.showing().serial, serial);

  TimePoint stepped = t0 + seconds(4) - hours(3);
  EXPECT_TRUE(s.tick(stepped));
  EXPECT_GT(s.showing().serial, serial);
  EXPECT_EQ(s.showing().start, stepped);
  EXPECT_EQ(s.next_deadline(), stepped + seconds(10));  // not t0 + 10 s, three hours away
  s.tick(stepped + seconds(10));
  EXPECT_EQ(s.showing().ref, "b.png");
  EXPECT_EQ(s.showing().start, stepped + seconds(10));
}

TEST(SchedulerClockStep, BackIntoARuleWindowShowsTheRuleAtOnce) {
  auto in = inputs(a_b_and_lunch(10));
  Scheduler s(in);
  s.start(at(in, "2026-03-02T15:00"));
  s.clock_stepped(at(in, "2026-03-02T12:15"));
  EXPECT_EQ(s.showing().rule, "Lunch");
  EXPECT_EQ(s.showing().ref, "lunch.png");
  EXPECT_EQ(s.showing().start, at(in, "2026-03-02T12:15"));
}

TEST(SchedulerClockStep, ClockSteppedKeepsContextAndCountsTheSerialOn) {
  auto in = inputs(a_b_and_lunch(10));
  Scheduler idle(in);
  idle.clock_stepped(at(in, "2026-03-02T15:00"));  // before start(): nothing to re-anchor
  EXPECT_EQ(idle.showing().serial, 0u);

  Scheduler s(in);
  TimePoint t0 = at(in, "2026-03-02T15:00");
  s.start(t0);
  s.set_override(Override{"Closed early today", std::nullopt}, t0 + seconds(1));
  uint64_t serial = s.showing().serial;
  s.clock_stepped(t0 + days(40));
  EXPECT_EQ(s.showing().mode, ShowingMode::kOverride);  // the emergency message stays up
  EXPECT_EQ(s.showing().serial, serial + 1);           // the owner sees a new showing
  EXPECT_EQ(s.showing().start, t0 + days(40));
}

TEST(SchedulerClockStep, UpcomingStillReplaysBoundariesLongBeforeTheItemEnds) {
  // A days rule makes every midnight a boundary; an hour-long item spans one that changes nothing.
  PlaylistSettings p;
  p.default_items = {image("a.png", 3600), image("b.png", 60)};
  WhenCondition sat;
  sat.days = weekdays({5});
  p.rules.push_back(rule("Saturday", 10, {image("sat.png", 60)}, sat, true));
  auto in = inputs(p);
  Scheduler s(in);
  s.start(at(in, "2026-03-02T23:30"));  // a Monday
  ASSERT_EQ(s.next_deadline(), at(in, "2026-03-03T00:00"));
  auto up = s.upcoming();
  ASSERT_TRUE(up);
  EXPECT_EQ(up->ref, "b.png");  // the next item, not the sequence started again at 00:30
  EXPECT_EQ(up->start, at(in, "2026-03-03T00:30"));
}

TEST(SchedulerClockStep, AStalledTurnWithinTheReplayLimitStillReplaysInOrder) {
  auto in = inputs(a_b_and_lunch(10));
  Scheduler s(in);
  TimePoint t0 = at(in, "2026-03-02T15:00");
  s.start(t0);
  uint64_t serial = s.showing().serial;
  s.tick(t0 + seconds(35));  // a, b, a, b: the fourth item, started on its own boundary
  EXPECT_EQ(s.showing().serial, serial + 3);
  EXPECT_EQ(s.showing().ref, "b.png");
  EXPECT_EQ(s.showing().start, t0 + seconds(30));
}

}  // namespace
}  // namespace branchcast
