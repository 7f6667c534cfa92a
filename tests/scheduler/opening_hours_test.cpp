// Opening hours as the scheduler sees them (formats.md section 2, rules 6 and 9): closures,
// special hours, the closures feed, power relative to real hours, open/before_close/after_open.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scheduler/conditions.h"
#include "tests/scheduler/scheduler_fixtures.h"

namespace branchcast {
namespace {

using namespace branchcast::testing;
using namespace std::chrono;
using ::testing::ElementsAre;

DateRange range(const std::string& a, const std::string& b) { return {*parse_date(a), *parse_date(b)}; }

// The spec's branch: mon-fri 09:00-20:00, sat 10:00-17:00, sun closed, Christmas 24-27 Dec 2026,
// New Year's Day, 23 Dec 09:00-13:00.
BranchSettings spec_branch() {
  BranchSettings b;
  b.name = "Central Library";
  for (int d = 0; d < 5; ++d) b.opening_hours.by_weekday[d] = {*parse_time_window("09:00-20:00")};
  b.opening_hours.by_weekday[5] = {*parse_time_window("10:00-17:00")};
  b.opening_hours_given = true;
  b.closures = {{range("2026-12-24", "2026-12-27"), "Christmas", {}}, {range("2027-01-01", "2027-01-01"), "New Year's Day", {}}};
  b.special_hours = {{range("2026-12-23", "2026-12-23"), {*parse_time_window("09:00-13:00")}, {}}};
  return b;
}

LocalTime local(const std::string& iso) {
  TimeZone z = *TimeZone::load("Europe/London");
  return z.to_local(*z.parse_iso(iso));
}

TEST(BranchHours, PrecedenceOpeningThenSpecialThenClosures) {
  BranchHours h(spec_branch());
  EXPECT_TRUE(h.open_at(local("2026-12-22T19:59")));   // Tuesday, usual hours
  EXPECT_TRUE(h.open_at(local("2026-12-23T12:59")));   // special hours
  EXPECT_FALSE(h.open_at(local("2026-12-23T13:00")));
  EXPECT_FALSE(h.open_at(local("2026-12-24T10:00")));  // Christmas closure (a Thursday)
  ASSERT_NE(h.closure_on(local("2026-12-26T00:00").date), nullptr);
  EXPECT_EQ(h.closure_on(local("2026-12-26T00:00").date)->name, "Christmas");
  EXPECT_EQ(h.closure_on(local("2026-12-28T00:00").date), nullptr);
  EXPECT_FALSE(h.open_at(local("2026-12-27T11:00")));  // Sunday, closed anyway
  EXPECT_TRUE(h.open_at(local("2026-12-28T09:00")));
  // A closure beats special hours on the same day.
  BranchSettings b = spec_branch();
  b.special_hours.push_back({range("2026-12-24", "2026-12-24"), {*parse_time_window("09:00-12:00")}, {}});
  EXPECT_FALSE(BranchHours(b).open_at(local("2026-12-24T10:00")));
}

TEST(BranchHours, FeedClosuresComeLastAndWithoutHoursTheBranchIsAlwaysOpen) {
  BranchHours none;
  EXPECT_TRUE(none.open_at(local("2026-12-25T03:00")));
  BranchSettings b;  // no opening_hours
  b.closures = {{range("2026-12-25", "2026-12-25"), "Christmas Day", {}}};
  BranchHours h(b);
  EXPECT_TRUE(h.open_at(local("2026-12-24T23:59")));
  EXPECT_FALSE(h.open_at(local("2026-12-25T12:00")));
  h.set_feed_closures({{range("2026-12-31", "2026-12-31"), "Staff training", {}}});
  EXPECT_FALSE(h.open_at(local("2026-12-31T12:00")));
  EXPECT_EQ(h.closure_on(local("2026-12-31T12:00").date)->name, "Staff training");
}

ScheduleInputs branch_inputs(PlaylistSettings p, std::optional<PowerSchedule> power) {
  auto in = inputs(std::move(p));
  in.hours = BranchHours(spec_branch());
  in.branch_name = "Central Library";
  in.power = power;
  return in;
}

PowerSchedule around_hours(int before_min, int after_min) {
  PowerSchedule p;
  p.relative = true;
  p.before_open = minutes(before_min);
  p.after_close = minutes(after_min);
  return p;
}

TEST(Power, BeforeOpenAfterCloseFollowEachDaysRealHours) {
  PlaylistSettings p;
  p.default_items = {image("a.png", 3600)};
  // Saturday: closes 17:00, so standby from 17:15 (not 20:15); Sunday closed; Monday 08:45.
  auto lines = simulate(branch_inputs(p, around_hours(15, 15)), "2026-03-07T16:30", "2026-03-09T09:00");
  EXPECT_THAT(lines, ElementsAre("2026-03-07T16:30:00+00:00\tdefault\timage\ta.png\t2700.0s",
                                 "2026-03-07T17:15:00+00:00\tstandby\tpower\t-\t142200.0s",
                                 "2026-03-09T08:45:00+00:00\tdefault\timage\ta.png\t3600.0s"));
}

TEST(Power, ClosureDaysAreStandbyLinesNamedAfterTheClosure) {
  PlaylistSettings p;
  p.default_items = {image("a.png", 3600)};
  auto lines = simulate(branch_inputs(p, around_hours(15, 15)), "2026-12-23T12:00", "2026-12-28T09:00");
  EXPECT_THAT(lines, ElementsAre("2026-12-23T12:00:00+00:00\tdefault\timage\ta.png\t3600.0s",
                                 "2026-12-23T13:00:00+00:00\tdefault\timage\ta.png\t900.0s",
                                 "2026-12-23T13:15:00+00:00\tstandby\tpower\t-\t38700.0s",
                                 "2026-12-24T00:00:00+00:00\tstandby\tpower\tclosed: Christmas\t345600.0s",
                                 "2026-12-28T00:00:00+00:00\tstandby\tpower\t-\t31500.0s",
                                 "2026-12-28T08:45:00+00:00\tdefault\timage\ta.png\t3600.0s"));
}

TEST(Power, FixedTimesStillWorkAndStandAllDayOnClosureDays) {
  PlaylistSettings p;
  p.default_items = {image("a.png", 3600)};
  PowerSchedule fixed{*parse_time_of_day("08:45"), *parse_time_of_day("20:15")};
  auto lines = simulate(branch_inputs(p, fixed), "2026-12-23T20:00", "2026-12-24T12:00");
  EXPECT_THAT(lines, ElementsAre("2026-12-23T20:00:00+00:00\tdefault\timage\ta.png\t900.0s",
                                 "2026-12-23T20:15:00+00:00\tstandby\tpower\t-\t13500.0s",
                                 "2026-12-24T00:00:00+00:00\tstandby\tpower\tclosed: Christmas\t345600.0s"));
  // Saturday: fixed times keep the screen on after the 17:00 close, as written.
  auto sat = simulate(branch_inputs(p, fixed), "2026-03-07T17:00", "2026-03-07T18:00");
  EXPECT_EQ(sat.front(), "2026-03-07T17:00:00+00:00\tdefault\timage\ta.png\t3600.0s");
}

TEST(Power, WithoutPowerAScreenPlaysOnClosureDays) {
  PlaylistSettings p;
  p.default_items = {image("a.png", 3600)};
  auto lines = simulate(branch_inputs(p, std::nullopt), "2026-12-25T10:00", "2026-12-25T11:00");
  EXPECT_THAT(lines, ElementsAre("2026-12-25T10:00:00+00:00\tdefault\timage\ta.png\t3600.0s"));
}

TEST(When, BeforeCloseFollowsTodaysClosingTime) {
  PlaylistSettings p;
  p.default_items = {image("a.png", 600)};
  WhenCondition w;
  w.before_close = minutes(15);
  w.given = true;
  p.rules.push_back(rule("Closing soon", 30, {text("Closes in 15 minutes", 20)}, w, true));
  // Saturday closes at 17:00: the rule cuts in at 16:45 (interrupt), not at 19:45.
  auto sat = simulate(branch_inputs(p, std::nullopt), "2026-03-07T16:40", "2026-03-07T16:45:01");
  EXPECT_THAT(sat, ElementsAre("2026-03-07T16:40:00+00:00\tdefault\timage\ta.png\t300.0s",
                               "2026-03-07T16:45:00+00:00\tClosing soon\ttext\tCloses in 15 minutes\t20.0s"));
  // Sunday (closed) it never holds; 23 Dec it holds 12:45-13:00 (special hours).
  auto sun = simulate(branch_inputs(p, std::nullopt), "2026-03-08T19:40", "2026-03-08T20:01");
  for (const auto& l : sun) EXPECT_EQ(l.find("Closing soon"), std::string::npos) << l;
  auto special = simulate(branch_inputs(p, std::nullopt), "2026-12-23T12:40", "2026-12-23T12:45:01");
  EXPECT_EQ(special.back(), "2026-12-23T12:45:00+00:00\tClosing soon\ttext\tCloses in 15 minutes\t20.0s");
}

TEST(When, OpenAndAfterOpen) {
  ConditionContext ctx;
  TimeZone z = *TimeZone::load("Europe/London");
  BranchHours h(spec_branch());
  ctx.zone = &z;
  ctx.hours = &h;
  auto holds = [&](const WhenCondition& w, const std::string& iso) {
    TimePoint t = *z.parse_iso(iso);
    return condition_holds(w, t, z.to_local(t), ctx);
  };
  WhenCondition open;
  open.open = true;
  WhenCondition closed;
  closed.open = false;
  WhenCondition first;
  first.after_open = minutes(30);
  EXPECT_TRUE(holds(open, "2026-03-02T09:00"));
  EXPECT_FALSE(holds(open, "2026-03-02T20:00"));
  EXPECT_TRUE(holds(closed, "2026-03-02T20:00"));
  EXPECT_FALSE(holds(open, "2026-12-24T12:00"));
  EXPECT_TRUE(holds(first, "2026-03-07T10:29"));
  EXPECT_FALSE(holds(first, "2026-03-07T10:30"));
  EXPECT_FALSE(holds(first, "2026-03-08T10:00"));
  // A before_close longer than the day's opening holds from opening to closing.
  WhenCondition long_close;
  long_close.before_close = hours(10);
  EXPECT_TRUE(holds(long_close, "2026-03-07T10:00"));
  EXPECT_FALSE(holds(long_close, "2026-03-07T09:59"));
  // Deadlines land on the boundaries.
  EXPECT_EQ(next_condition_change(first, *z.parse_iso("2026-03-07T10:10"), ctx), *z.parse_iso("2026-03-07T10:30"));
}

CatalogueEvent event(const std::string& id, const std::string& iso, const std::string& location) {
  CatalogueEvent e;
  e.id = id;
  e.feed = "events";
  e.title = id;
  TimeZone z = *TimeZone::load("Europe/London");
  e.start = *z.parse_iso(iso);
  e.end = e.start + hours(1);
  e.location = location;
  return e;
}

TEST(Events, CardsLeaveOutEventsOnClosedDaysUnlessHeldElsewhere) {
  PlaylistSettings p;
  p.default_items = {events("events", {}, 5, 8)};
  auto in = branch_inputs(p, std::nullopt);
  Scheduler s(in);
  TimePoint t0 = at(in, "2026-12-22T10:00");
  s.set_events({event("talk-tue", "2026-12-22T18:00", "Room B"), event("xmas-party", "2026-12-24T15:00", "Room B"),
                event("carols", "2026-12-24T18:00", "Town Hall, Market Square"),
                event("new-year", "2027-01-01T12:00", "")},
               t0);
  s.start(t0);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(s.showing().ref);
    s.tick(s.showing().planned_end);
  }
  EXPECT_THAT(ids, ElementsAre("talk-tue", "carols", "talk-tue"));
}

TEST(Events, ClosuresFeedAllDayEventsCloseTheBranch) {
  PlaylistSettings p;
  p.default_items = {image("a.png", 3600)};
  auto in = branch_inputs(p, around_hours(15, 15));
  in.closures_feed = "holidays";
  CatalogueEvent holiday;
  holiday.id = "bank-holiday";
  holiday.feed = "holidays";
  holiday.title = "Bank holiday";
  holiday.all_day = true;
  holiday.start = at(in, "2026-05-04T00:00");
  holiday.end = at(in, "2026-05-05T00:00");
  Scheduler s(in);
  TimePoint t0 = at(in, "2026-05-04T10:00");
  s.set_events({holiday}, t0);
  s.start(t0);
  EXPECT_EQ(s.showing().mode, ShowingMode::kStandby);
  EXPECT_EQ(s.showing().ref, "closed: Bank holiday");
  // The feed failing later (no events from it) keeps the last good closures.
  s.set_events({}, t0 + minutes(1));
  EXPECT_EQ(s.showing().ref, "closed: Bank holiday");
  s.tick(at(in, "2026-05-05T08:45"));
  EXPECT_EQ(s.showing().mode, ShowingMode::kItem);
}

}  // namespace
}  // namespace branchcast
