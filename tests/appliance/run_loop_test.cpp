// The run loop (appliance/run_loop.h) turned by hand on a fake clock: what it ticks, when it asks
// to wake next (frame grid while something is due at once, else the earliest deadline capped at
// max_idle), clock steps told to every ticker once before ticking, posted jobs followed by a turn.
#include "appliance/run_loop.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/appliance/recording_log.h"
#include "tests/ble/fakes/fake_clock.h"
#include "tests/support/manual_event_loop.h"

namespace branchcast {
namespace {

using namespace std::chrono_literals;

// A ticker whose deadline the test sets; it records what it was told.
struct ProbeTicker final : Ticker {
  TimePoint due = TimePoint::max();
  std::vector<std::string> calls;
  TimePoint next_deadline(TimePoint) const override { return due; }
  void tick(const Turn&) override { calls.push_back("tick"); }
  void clock_stepped(Duration step, const Turn&) override {
    calls.push_back("stepped " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(step).count()));
  }
};

class RunLoopTest : public ::testing::Test {
 protected:
  RunLoopTest() {
    options_.run_for = 1h;
    loop_ = std::make_unique<RunLoop>(events_, clock_, Logger(log_, "clock"), options_);
    loop_->add(a_);
    loop_->add(b_);
  }
  // The next wake-up the loop asked for, in ms after the current monotonic time.
  long long wake_in_ms() const { return (events_.wakes.at(1).when - clock_.monotonic()).count(); }

  testing::FakeClock clock_{TimePoint(std::chrono::hours(24 * 20500))};
  test_support::RecordingLog log_;
  testing::ManualEventLoop events_;
  RunLoopOptions options_;
  ProbeTicker a_, b_;
  std::unique_ptr<RunLoop> loop_;
};

TEST_F(RunLoopTest, SleepsUntilTheEarliestDeadlineAtMostMaxIdle) {
  a_.due = clock_.now() + 3s;
  b_.due = clock_.now() + 60s;
  loop_->turn();
  EXPECT_TRUE(a_.calls.empty());
  EXPECT_EQ(wake_in_ms(), 3002);  // + 2 ms: wakes after the deadline, not a hair before
  a_.due = TimePoint::max();
  loop_->turn();
  EXPECT_EQ(wake_in_ms(), 5002);  // max_idle
  clock_.advance(5002ms);
  b_.due = clock_.now();
  loop_->turn();
  EXPECT_EQ(b_.calls, std::vector<std::string>{"tick"});
  EXPECT_TRUE(a_.calls.empty()) << "only the due are ticked";
}

TEST_F(RunLoopTest, FrameRateTurnsOnTheGridOnlyWhileSomethingIsDueAtOnce) {
  const MonoTime start = loop_->started();
  a_.due = clock_.now();  // moving
  loop_->turn();
  EXPECT_EQ(events_.wakes.at(1).when, start + 33ms);
  clock_.advance(40ms);  // a late frame: the next is on the grid, not 33 ms after this one
  loop_->turn();
  EXPECT_EQ(events_.wakes.at(1).when, start + 66ms);
  clock_.advance(100ms);  // frames missed are dropped, not queued
  loop_->turn();
  EXPECT_EQ(events_.wakes.at(1).when, start + 165ms);
  a_.due = clock_.now() + 10s;  // still again
  loop_->turn();
  EXPECT_EQ(wake_in_ms(), 5002);
  EXPECT_EQ(a_.calls.size(), 3u);
}

TEST_F(RunLoopTest, AClockStepIsToldToEveryTickerOnceBeforeTheyTick) {
  loop_->turn();
  clock_.step(-3h);
  a_.due = clock_.now();  // due at once
  loop_->turn();
  EXPECT_EQ(a_.calls, (std::vector<std::string>{"stepped -10800", "tick"}));
  EXPECT_EQ(b_.calls, (std::vector<std::string>{"stepped -10800"}));
  EXPECT_EQ(log_.count("clock stepped back 3 h"), 1u);
  clock_.advance(1s);
  loop_->turn();  // the clocks moved together: no step
  EXPECT_EQ(b_.calls.size(), 1u);
}

TEST_F(RunLoopTest, APostedJobIsFollowedByATurnAtOnce) {
  a_.due = clock_.now() + 1min;
  loop_->turn();
  bool ran = false;
  loop_->poster()([&] { ran = true; });
  EXPECT_EQ(events_.run_posted(), 1u);
  EXPECT_TRUE(ran);
  EXPECT_EQ(events_.wakes.at(1).when, clock_.monotonic());
}

TEST_F(RunLoopTest, RunForEndsTheLoop) {
  a_.due = clock_.now() + 2h;
  loop_->turn();
  EXPECT_FALSE(events_.quit_called);
  EXPECT_LE(events_.wakes.at(1).when, loop_->started() + 1h);
  clock_.advance(1h);
  loop_->turn();
  EXPECT_TRUE(events_.quit_called);
}

}  // namespace
}  // namespace branchcast
