// The scheduler across midnight, DST changes, leap days, standby and overrides, on a fake clock:
// time is a value, so tests jump straight to the instants that matter.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scheduler_fixtures.h"

namespace branchcast {
namespace {

using namespace branchcast::testing;
using namespace std::chrono;
using ::testing::ElementsAre;

PlaylistSettings one_image(int seconds = 3600) {
  PlaylistSettings p;
  p.default_items = {image("d.png", seconds)};
  return p;
}

TEST(SchedulerTime, InterruptRuleStartsExactlyAtMidnight) {
  auto p = one_image();
  WhenCondition sat;
  sat.days = weekdays({5});
  p.rules.push_back(rule("Saturday", 10, {image("sat.png", 60)}, sat, true));
  auto in = inputs(p);
  Scheduler s(in);
  s.start(at(in, "2026-03-06T23:30"));  // a Friday
  s.tick(at(in, "2026-03-06T23:59:59.999"));
  EXPECT_EQ(s.showing().rule, "default");
  EXPECT_EQ(s.next_deadline(), at(in, "2026-03-07T00:00"));
  s.tick(at(in, "2026-03-07T00:00"));
  EXPECT_EQ(s.showing().rule, "Saturday");
  EXPECT_EQ(s.showing().start, at(in, "2026-03-07T00:00"));
}

TEST(SchedulerTime, WindowCrossingMidnightBelongsToTheDayItStarts) {
  auto p = one_image(60);
  WhenCondition late = at_time("22:00-02:00");
  late.days = weekdays({4});  // Friday night
  p.rules.push_back(rule("Late", 10, {image("late.png", 60)}, late));
  auto in = inputs(p);
  auto rule_at = [&](const std::string& t) {
    Scheduler s(in);
    s.start(at(in, t));
    return s.showing().rule;
  };
  EXPECT_EQ(rule_at("2026-03-06T21:59"), "default");
  EXPECT_EQ(rule_at("2026-03-06T22:00"), "Late");   // Friday 22:00
  EXPECT_EQ(rule_at("2026-03-07T01:59"), "Late");   // still Friday's window
  EXPECT_EQ(rule_at("2026-03-07T02:00"), "default");
  EXPECT_EQ(rule_at("2026-03-07T23:00"), "default");  // Saturday night is not Friday
  EXPECT_EQ(rule_at("2026-03-06T01:00"), "default");  // Thursday's night does not count
}

TEST(SchedulerTime, NineOClockRuleIsNineLocalOnBothSidesOfSpringForward) {
  auto p = one_image(7200);
  p.rules.push_back(rule("Nine", 10, {image("nine.png", 600)}, at_time("09:00-09:10"), true));
  auto lines = simulate(inputs(p), "2026-03-28T08:00", "2026-03-30T10:00");
  std::vector<std::string> nines;
  for (const auto& l : lines)
    if (l.find("\tNine\t") != std::string::npos) nines.push_back(l.substr(0, 25));
  EXPECT_THAT(nines, ElementsAre("2026-03-28T09:00:00+00:00", "2026-03-29T09:00:00+01:00",
                                 "2026-03-30T09:00:00+01:00"));
}

TEST(SchedulerTime, NewYorkFallBackRepeatsAWindowInTheRepeatedHour) {
  auto p = one_image(7200);
  p.rules.push_back(rule("Repeat", 10, {image("r.png", 60)}, at_time("01:15-01:20"), true));
  auto lines = simulate(inputs(p, "America/New_York"), "2026-11-01T00:00", "2026-11-01T04:00");
  std::vector<std::string> starts;
  for (const auto& l : lines)
    if (l.find("\tRepeat\t") != std::string::npos) starts.push_back(l.substr(0, 25));
  ASSERT_EQ(starts.size(), 10u);  // five one-minute items on each pass
  EXPECT_EQ(starts[0], "2026-11-01T01:15:00-04:00");
  EXPECT_EQ(starts[5], "2026-11-01T01:15:00-05:00");
}

TEST(SchedulerTime, NewYorkSpringForwardSkipsAWindowInsideTheGap) {
  auto p = one_image(7200);
  p.rules.push_back(rule("Gap", 10, {image("g.png", 60)}, at_time("02:15-02:30"), true));
  p.rules.push_back(rule("Straddle", 5, {image("s.png", 60)}, at_time("01:50-03:10"), true));
  auto lines = simulate(inputs(p, "America/New_York"), "2026-03-08T00:00", "2026-03-08T05:00");
  for (const auto& l : lines) EXPECT_EQ(l.find("\tGap\t"), std::string::npos) << l;
  // The straddling window holds from 01:50 EST and straight on after the gap, until 03:10 EDT.
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "2026-03-08T01:50:00-05:00\tStraddle\timage\ts.png\t60.0s"),
            lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "2026-03-08T03:09:00-04:00\tStraddle\timage\ts.png\t60.0s"),
            lines.end());
}

TEST(SchedulerTime, LeapDayDateRange) {
  auto p = one_image(3600);
  WhenCondition leap;
  leap.dates = DateRange{year{2028} / February / 29, year{2028} / February / 29};
  p.rules.push_back(rule("Leap", 10, {image("leap.png", 3600)}, leap, true));
  auto lines = simulate(inputs(p), "2028-02-28T22:00", "2028-03-01T02:00");
  EXPECT_EQ(lines.front().substr(26, 7), "default");
  EXPECT_NE(std::find(lines.begin(), lines.end(), "2028-02-29T00:00:00+00:00\tLeap\timage\tleap.png\t3600.0s"),
            lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "2028-03-01T00:00:00+00:00\tdefault\timage\td.png\t3600.0s"),
            lines.end());
}

ScheduleInputs with_hours(PlaylistSettings p) {
  auto in = inputs(std::move(p));
  BranchSettings b;
  for (int d = 0; d < 5; ++d) b.opening_hours.by_weekday[d] = {*parse_time_window("09:00-20:00")};
  b.opening_hours.by_weekday[5] = {*parse_time_window("10:00-17:00")};
  b.opening_hours_given = true;
  in.hours = BranchHours(b);
  in.power = PowerSchedule{*parse_time_of_day("08:45"), *parse_time_of_day("20:15")};
  return in;
}

TEST(SchedulerTime, StandbyOutsideAwakeHoursAndSequenceRestartsAfter) {
  PlaylistSettings p;
  p.default_items = {image("a.png", 600), image("b.png", 600)};
  auto lines = simulate(with_hours(p), "2026-03-02T20:05", "2026-03-03T08:50");  // Monday night
  EXPECT_THAT(lines, ElementsAre("2026-03-02T20:05:00+00:00\tdefault\timage\ta.png\t600.0s",
                                 "2026-03-02T20:15:00+00:00\tstandby\tpower\t-\t45000.0s",
                                 "2026-03-03T08:45:00+00:00\tdefault\timage\ta.png\t600.0s"));
}

TEST(SchedulerTime, ClosedSundayIsStandbyAllDay) {
  PlaylistSettings p;
  p.default_items = {image("a.png", 600)};
  auto lines = simulate(with_hours(p), "2026-03-08T00:00", "2026-03-08T23:00");  // Sunday
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "2026-03-08T00:00:00+00:00\tstandby\tpower\t-\t117900.0s");  // until Mon 08:45
}

TEST(SchedulerTime, OverrideBeatsEverythingUntilItExpires) {
  auto p = one_image(600);
  p.rules.push_back(rule("Closing", 30, {text("Closing", 20)}, at_time("19:45-20:00"), true));
  auto in = with_hours(p);
  Scheduler s(in);
  TimePoint t0 = at(in, "2026-03-02T19:40");
  s.start(t0);
  s.set_override(Override{"Fire drill: please leave by the nearest exit", t0 + minutes(10)}, t0 + minutes(1));
  EXPECT_EQ(s.showing().mode, ShowingMode::kOverride);
  s.tick(at(in, "2026-03-02T19:46"));  // the interrupt rule may not cut in
  EXPECT_EQ(s.showing().mode, ShowingMode::kOverride);
  s.tick(at(in, "2026-03-02T19:50"));
  EXPECT_EQ(s.showing().rule, "Closing");
  EXPECT_EQ(s.showing().start, at(in, "2026-03-02T19:50"));
  // An override also wakes a screen in standby, and clearing it goes back to standby.
  TimePoint night = at(in, "2026-03-02T23:00");
  s.tick(night);
  EXPECT_EQ(s.showing().mode, ShowingMode::kStandby);
  s.set_override(Override{"Closed tomorrow", std::nullopt}, night);
  EXPECT_EQ(s.showing().mode, ShowingMode::kOverride);
  s.set_override(std::nullopt, night + minutes(5));
  EXPECT_EQ(s.showing().mode, ShowingMode::kStandby);
}

TEST(SchedulerTime, RestartSwitchesInputsKeepingContextAndSerial) {
  // Clock trust: the default playlist (no rules, no hours) until the clock is trusted, then the
  // full inputs from that instant; an override set meanwhile survives the switch.
  auto p = one_image(600);
  p.rules.push_back(rule("Evening", 10, {text("Evening", 60)}, at_time("18:00-20:00")));
  auto full = with_hours(p);
  auto plain = inputs(one_image(600));
  Scheduler s(plain);
  TimePoint t0 = at(full, "2026-03-02T18:30");
  s.start(t0);
  EXPECT_EQ(s.showing().rule, "default");
  uint64_t serial = s.showing().serial;
  const PlaylistItem* before = s.showing().item;
  s.restart(full, t0 + minutes(1));
  EXPECT_EQ(s.showing().rule, "Evening");
  EXPECT_EQ(s.showing().start, t0 + minutes(1));
  EXPECT_GT(s.showing().serial, serial);
  EXPECT_EQ(before->path, "d.png");  // Showings handed out before the restart stay valid
  s.set_override(Override{"Fire drill", std::nullopt}, t0 + minutes(2));
  s.restart(full, t0 + minutes(3));
  EXPECT_EQ(s.showing().mode, ShowingMode::kOverride);
  s.set_override(std::nullopt, t0 + minutes(4));
  s.tick(at(full, "2026-03-02T23:00"));  // the full inputs' opening hours apply
  EXPECT_EQ(s.showing().mode, ShowingMode::kStandby);
}

TEST(SchedulerTime, UpdateInputsLetsTheShowingPlayOnAndTheNextComesFromTheNewInputs) {
  // A configuration reload (issue 13): no start again. The item on screen keeps its serial and
  // its end; the next item is the first of the new sequence; Showings handed out before stay
  // valid however many reloads come while the item plays.
  PlaylistSettings old_list;
  old_list.default_items = {image("a.png", 60), image("b.png", 60)};
  auto in = inputs(old_list);
  Scheduler s(in);
  TimePoint t0 = at(in, "2026-03-02T10:00");
  s.start(t0);
  const Showing a = s.showing();
  ASSERT_EQ(a.item->path, "a.png");
  PlaylistSettings new_list;
  new_list.default_items = {image("n1.png", 30), image("n2.png", 30)};
  for (int i = 0; i < 3; ++i) s.update_inputs(inputs(new_list), t0 + seconds(10 + i));
  EXPECT_EQ(s.inputs_serial(), 3u);
  EXPECT_EQ(s.showing().serial, a.serial);
  EXPECT_EQ(s.showing().planned_end, t0 + seconds(60));
  EXPECT_EQ(s.showing().item->path, "a.png");  // kept alive by Showing::inputs
  EXPECT_EQ(a.item->path, "a.png");
  ASSERT_TRUE(s.upcoming());
  EXPECT_EQ(s.upcoming()->item->path, "n1.png");
  s.tick(t0 + seconds(60));
  EXPECT_EQ(s.showing().item->path, "n1.png");
  EXPECT_EQ(s.showing().start, t0 + seconds(60));
  s.tick(t0 + seconds(90));
  EXPECT_EQ(s.showing().item->path, "n2.png");
  // New opening hours that close the branch now put the screen to sleep at once.
  auto closed = with_hours(new_list);
  s.update_inputs(closed, at(in, "2026-03-02T23:00"));
  EXPECT_EQ(s.showing().mode, ShowingMode::kStandby);
}

TEST(SchedulerTime, DeadlinesGrowWithItemChangesNotSeconds) {
  // One hour-long item for a week: the loop wakes about once an hour, not once a second.
  auto in = inputs(one_image(3600));
  Scheduler s(in);
  TimePoint from = at(in, "2026-03-02T00:00"), to = from + days(7);
  s.start(from);
  int wakeups = 0;
  for (TimePoint d = s.next_deadline(); d < to; d = s.next_deadline()) {
    s.tick(d);
    ++wakeups;
  }
  EXPECT_EQ(wakeups, 7 * 24 - 1);
}

}  // namespace
}  // namespace branchcast
