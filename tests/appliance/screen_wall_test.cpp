// The screens as one Ticker (appliance/screen_wall.h): one frame on every screen per turn, what
// started said once per item, the deadline rules of the run loop, and a clock step.
#include "appliance/screen_wall.h"

#include <gtest/gtest.h>

#include "tests/media/fakes/fake_media.h"

namespace branchcast {
namespace {

using fakes::Rgb;
using fakes::image;

constexpr Rgb kRed{255, 0, 0}, kGreen{0, 255, 0};

// One screen on the fakes, playing `item` on its own.
struct FakeScreen {
  FakeScreen(const std::string& id, PlaylistItem item, const std::string& path, Rgb colour, TimePoint t0, MonoTime m0) {
    player.files[path] = {colour};
    const TransitionSettings cut{TransitionKind::kCut, Duration(0)};
    ScheduleInputs in;
    in.playlist.transition = cut;
    in.playlist.default_items = {std::move(item)};
    scheduler = std::make_unique<Scheduler>(std::move(in));
    runner = std::make_unique<ScreenRunner>(ScreenRunnerOptions{id, cut, "", false}, *scheduler,
                                            player, cards, display, TimeZone::utc(), Logger(log, id));
    runner->start(t0, m0);
  }
  WallScreen wall(const std::string& id) { return {id, scheduler.get(), runner.get(), nullptr}; }

  NullLogSink log;
  fakes::FakePlayer player;
  fakes::FakeCardRenderer cards;
  fakes::FakeDisplay display;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<ScreenRunner> runner;
};

class ScreenWallTest : public ::testing::Test {
 protected:
  Turn at(Duration since_start) const { return {t0_ + since_start, m0_ + since_start}; }
  // Ticks `wall` at 30 fps from `from` to `to` after the start; returns the time of the last turn.
  Duration frames(ScreenWall& wall, Duration from, Duration to) {
    Duration t = from;
    for (; t <= to; t += Duration(33)) wall.tick(at(t));
    return t - Duration(33);
  }

  const TimePoint t0_ = TimePoint(std::chrono::hours(24 * 20500 + 10));
  const MonoTime m0_ = MonoTime(Duration(1'000'000));
  FakeScreen hall_{"hall", image("red.png", 10), "/content/red.png", kRed, t0_, m0_};
  FakeScreen side_{"side", image("green.png", 4), "/content/green.png", kGreen, t0_, m0_};
  NullLogSink log_;
  std::vector<std::string> started_;
  int first_frames_ = 0;
};

TEST_F(ScreenWallTest, EveryScreenGetsItsFrameAndEachItemStartIsSaidOnce) {
  ScreenWallEvents events;
  events.item_started = [this](const std::string& screen, const Showing& showing, const ScreenStats&) {
    started_.push_back(screen + " " + showing.rule);
  };
  events.first_frame = [this] { ++first_frames_; };
  ScreenWall wall({hall_.wall("hall"), side_.wall("side")}, {}, std::move(events), Logger(log_, "run"));
  const Duration last = frames(wall, Duration(0), Duration(200));
  ASSERT_FALSE(hall_.display.shown.empty());
  ASSERT_FALSE(side_.display.shown.empty());
  EXPECT_EQ(hall_.display.shown.back(), kRed);
  EXPECT_EQ(side_.display.shown.back(), kGreen);
  EXPECT_EQ(started_, (std::vector<std::string>{"hall default", "side default"}));
  EXPECT_EQ(first_frames_, 1);
  // Two stills on screen: nothing is due until the shorter item ends (the side screen's, at 4 s).
  EXPECT_EQ(wall.next_deadline(at(last).now), t0_ + Duration(4'000));
  frames(wall, Duration(4'000), Duration(4'200));  // the side screen's item starts again (it loops)
  EXPECT_EQ(started_, (std::vector<std::string>{"hall default", "side default", "side default"}));
  EXPECT_EQ(first_frames_, 1);
}

TEST_F(ScreenWallTest, AWindowIsReadAtLeastEverySecondAndStillsOffscreenOnlyAtTheirEnd) {
  ScreenWallOptions windowed;
  windowed.windowed = true;
  ScreenWall wall({hall_.wall("hall")}, windowed, {}, Logger(log_, "run"));
  const TimePoint now = at(frames(wall, Duration(0), Duration(200))).now;
  EXPECT_EQ(wall.next_deadline(now), now + Duration(1'000));  // its item ends at 10 s
  ScreenWall offscreen({side_.wall("side")}, {}, {}, Logger(log_, "run"));
  frames(offscreen, Duration(0), Duration(200));
  EXPECT_EQ(offscreen.next_deadline(now), t0_ + Duration(4'000));
}

TEST_F(ScreenWallTest, AClockStepStartsEveryScheduleAgainAtTheTurnsTime) {
  ScreenWall wall({hall_.wall("hall"), side_.wall("side")}, {}, {}, Logger(log_, "run"));
  frames(wall, Duration(0), Duration(200));
  const uint64_t hall_serial = hall_.scheduler->showing().serial;
  const Duration back(-3 * 3'600'000);
  const Turn stepped{t0_ + Duration(2'000) + back, m0_ + Duration(2'000)};
  wall.clock_stepped(back, stepped);
  EXPECT_NE(hall_.scheduler->showing().serial, hall_serial);
  EXPECT_EQ(hall_.scheduler->showing().start, stepped.now);
  EXPECT_EQ(side_.scheduler->showing().start, stepped.now);
  EXPECT_EQ(side_.scheduler->next_deadline(), stepped.now + Duration(4'000));
}

}  // namespace
}  // namespace branchcast
