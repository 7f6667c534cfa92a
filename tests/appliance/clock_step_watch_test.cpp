// A screen's loop turn when the wall clock steps: ClockStepWatch sees the step in the times the
// loop read, restarts the schedule and logs it once; the ScreenRunner keeps the picture until the
// new showing is ready and measures proof of play on the monotonic clock. Fake media ports; the
// test drives the frames and sets the wall clock.
#include "appliance/clock_step_watch.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "media/screen_runner.h"
#include "tests/appliance/recording_log.h"
#include "tests/media/fakes/fake_media.h"

namespace branchcast {
namespace {

using fakes::Rgb;
using namespace std::chrono;

constexpr Rgb kRed{255, 0, 0}, kGreen{0, 255, 0};
constexpr Duration kFrame{33};

class ClockStepLoop : public ::testing::Test {
 protected:
  ClockStepLoop() {
    player_.files["/content/red.png"] = {kRed};
    player_.files["/content/green.png"] = {kGreen, false, 3};  // a slow preroll: 3 frames
    ScheduleInputs in;
    in.playlist.default_items = {fakes::image("red.png", 2), fakes::image("green.png", 2)};
    scheduler_ = std::make_unique<Scheduler>(std::move(in));
    runner_ = std::make_unique<ScreenRunner>(ScreenRunnerOptions{"entrance", {}, ""}, *scheduler_, player_, cards_,
                                             display_, TimeZone::utc(), Logger(sink_, "screen"));
    runner_->on_record = [this](const PlayRecord& r) { records_.push_back(r); };
    watch_.attach({scheduler_.get()});
  }

  // Frames at 30 fps for 8 s of monotonic time; from 3 s on, the wall clock reads `step` off.
  void run_with_step_at_3s(Duration step) {
    runner_->start(t0_, m0_);
    watch_.observe(t0_, m0_);
    for (Duration e{0}; e < 8000ms; e += kFrame) {
      TimePoint wall = t0_ + e + (e >= 3000ms ? step : Duration(0));
      watch_.observe(wall, m0_ + e);
      ASSERT_TRUE(runner_->frame(wall, m0_ + e).ok());
      panel_.push_back(display_.shown.empty() ? Rgb{} : display_.shown.back());
      if (e < 3000ms) serial_before_step_ = scheduler_->showing().serial;
    }
    runner_->finish(m0_ + 8000ms);
  }
  Rgb at(Duration e) const { return panel_.at(static_cast<size_t>(e / kFrame)); }
  void expect_no_black_frame() const {
    size_t first = 0;
    while (first < panel_.size() && panel_[first].black()) ++first;
    for (size_t i = first; i < panel_.size(); ++i) EXPECT_FALSE(panel_[i].black()) << "black frame " << i;
  }
  void expect_records_bounded() const {
    ASSERT_GE(records_.size(), 4u);
    for (const PlayRecord& r : records_) {
      EXPECT_GE(r.seconds_shown, 0.0) << r.item;
      EXPECT_LE(r.seconds_shown, 2.2) << r.item;  // a 2 s item, plus a frame or two of preroll
    }
  }

  test_support::RecordingLog sink_;
  fakes::FakePlayer player_;
  fakes::FakeCardRenderer cards_;
  fakes::FakeDisplay display_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<ScreenRunner> runner_;
  ClockStepWatch watch_{Logger(sink_, "clock")};
  std::vector<PlayRecord> records_;
  std::vector<Rgb> panel_;
  uint64_t serial_before_step_ = 0;
  TimePoint t0_ = sys_days{2026y / 3 / 2} + hours(15);
  MonoTime m0_ = MonoTime(Duration(1'000'000));
};

TEST_F(ClockStepLoop, BackwardStepRestartsTheScheduleAtOnceWithoutABlackFrame) {
  run_with_step_at_3s(-hours(3));
  EXPECT_EQ(sink_.count("clock stepped"), 1u);
  EXPECT_EQ(sink_.count("warn clock: clock stepped back 3 h; schedules restarted"), 1u);
  // Green was on (2-4 s) when the clock went back; the schedule starts again from red at once
  // and moves on every 2 s of the new time, instead of holding green for three hours.
  EXPECT_EQ(at(3500ms), kRed);
  EXPECT_EQ(at(5500ms), kGreen);
  EXPECT_EQ(at(7500ms), kRed);
  EXPECT_GT(scheduler_->showing().serial, serial_before_step_);
  expect_no_black_frame();
  expect_records_bounded();
  // The red after the step is logged at the new wall time; green before it for the ~1 s it showed.
  auto red_after = std::find_if(records_.begin(), records_.end(),
                                [&](const PlayRecord& r) { return r.item == "red.png" && r.start < t0_; });
  ASSERT_NE(red_after, records_.end());
  EXPECT_LT(t0_ - hours(3) + 2900ms, red_after->start);
  EXPECT_NEAR((red_after - 1)->seconds_shown, 1.0, 0.15);
}

TEST_F(ClockStepLoop, ForwardJumpOfSixMonthsRestartsOnceAndLogsItsSize) {
  run_with_step_at_3s(days(183) + hours(4));
  EXPECT_EQ(sink_.count("clock stepped"), 1u);
  EXPECT_EQ(sink_.count("info clock: clock stepped forward 183 days 4 h; schedules restarted"), 1u);
  EXPECT_EQ(at(3500ms), kRed);  // started again from the first item
  EXPECT_EQ(at(5500ms), kGreen);
  expect_no_black_frame();
  expect_records_bounded();
  EXPECT_LE(records_.size(), 6u);  // one record per item presented, nothing replayed
}

TEST_F(ClockStepLoop, SteadyClocksAreNoStep) {
  run_with_step_at_3s(Duration(1500));  // within the threshold: NTP slewing or a small step
  EXPECT_EQ(sink_.count("clock stepped"), 0u);
  // The schedule keeps to the wall clock: red from 4 s wall (2.5 s here), green from 6 s (4.5 s).
  EXPECT_EQ(at(3500ms), kRed);
  EXPECT_EQ(at(4700ms), kGreen);
  expect_no_black_frame();
}

}  // namespace
}  // namespace branchcast
