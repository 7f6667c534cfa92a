// ClockStepDetector on made-up readings: the wall clock against the monotonic clock, turn by turn.
#include "common/clock_step.h"

#include <gtest/gtest.h>

namespace branchcast {
namespace {

using namespace std::chrono;

const TimePoint kWall = sys_days{2026y / 3 / 2} + hours(9);
const MonoTime kMono = MonoTime(milliseconds(5'000'000));

TEST(ClockStepDetector, ClocksMovingTogetherAreNoStepHoweverLongTheTurn) {
  ClockStepDetector d;
  EXPECT_FALSE(d.observe(kWall, kMono));  // first reading: nothing to compare with
  EXPECT_FALSE(d.observe(kWall + 33ms, kMono + 33ms));
  EXPECT_FALSE(d.observe(kWall + minutes(10), kMono + minutes(10)));  // a stalled turn
  // NTP slewing (a few ms per turn) and a step within the threshold are not steps.
  EXPECT_FALSE(d.observe(kWall + minutes(10) + 2033ms, kMono + minutes(10) + 33ms));
  EXPECT_FALSE(d.observe(kWall + minutes(10) + 66ms, kMono + minutes(10) + 66ms));
}

TEST(ClockStepDetector, ReportsForwardAndBackwardStepsOnceEach) {
  ClockStepDetector d;
  d.observe(kWall, kMono);
  auto forward = d.observe(kWall + days(93) + hours(4) + 33ms, kMono + 33ms);
  ASSERT_TRUE(forward);
  EXPECT_EQ(*forward, days(93) + hours(4));
  EXPECT_FALSE(d.observe(kWall + days(93) + hours(4) + 66ms, kMono + 66ms));  // measured from the new time
  auto back = d.observe(kWall + days(93) + 99ms, kMono + 99ms);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, -hours(4));
  EXPECT_FALSE(d.observe(kWall + days(93) + 132ms, kMono + 132ms));
}

TEST(ClockStepDetector, ThresholdIsStrictAndConfigurable) {
  ClockStepDetector d;
  d.observe(kWall, kMono);
  EXPECT_FALSE(d.observe(kWall + kClockStepThreshold, kMono));
  EXPECT_FALSE(d.observe(kWall, kMono));  // exactly the threshold back
  EXPECT_EQ(d.observe(kWall + kClockStepThreshold + 1ms, kMono), kClockStepThreshold + 1ms);
  ClockStepDetector fine(milliseconds(100));
  fine.observe(kWall, kMono);
  EXPECT_EQ(fine.observe(kWall + 200ms, kMono + 50ms), milliseconds(150));
}

TEST(ClockStepDetector, DeadlinesMoveWithTheStepButSentinelsStay) {
  EXPECT_EQ(shift_deadline(kWall + minutes(10), -hours(3)), kWall + minutes(10) - hours(3));
  EXPECT_EQ(shift_deadline(kWall, days(93)), kWall + days(93));
  EXPECT_EQ(shift_deadline(TimePoint::max(), -hours(3)), TimePoint::max());
  EXPECT_EQ(shift_deadline(TimePoint::min(), days(93)), TimePoint::min());
}

TEST(ClockStepDetector, DescribesTheStepForTheLog) {
  EXPECT_EQ(describe_clock_step(days(93) + hours(4) + minutes(7)), "forward 93 days 4 h");
  EXPECT_EQ(describe_clock_step(-hours(3)), "back 3 h");
  EXPECT_EQ(describe_clock_step(-(minutes(2) + seconds(30))), "back 2 min 30 s");
  EXPECT_EQ(describe_clock_step(days(1) + minutes(5)), "forward 1 day");
  EXPECT_EQ(describe_clock_step(milliseconds(2500)), "forward 2.5 s");
  EXPECT_EQ(describe_clock_step(-milliseconds(2001)), "back 2.0 s");
}

}  // namespace
}  // namespace branchcast
