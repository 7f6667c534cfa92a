// The scheduler-driven loop against fake media ports: time is a value (frames at 30 fps are
// driven by the test), faults are injected by the fake player's knobs, and assertions are on the
// colours the fake display actually composed.
#include "media/screen_runner.h"

#include <gtest/gtest.h>

#include "fakes/fake_media.h"

namespace branchcast {
namespace {

using fakes::FakeCardRenderer;
using fakes::FakeDisplay;
using fakes::FakePlayer;
using fakes::Rgb;

constexpr Rgb kRed{255, 0, 0}, kGreen{0, 255, 0}, kBlue{0, 0, 200}, kWhite{255, 255, 255};
constexpr Duration kFrame{33};

using fakes::image;
PlaylistItem video(const std::string& path) {
  PlaylistItem i = image(path, 0);
  i.kind = ItemKind::kVideo;
  i.duration.reset();
  return i;
}
PlaylistItem text(const std::string& t, int seconds) {
  PlaylistItem i;
  i.kind = ItemKind::kText;
  i.text = t;
  i.duration = Duration(seconds * 1000);
  return i;
}

class ScreenRunnerTest : public ::testing::Test {
 protected:
  void build(std::vector<PlaylistItem> items, TransitionSettings transition = {TransitionKind::kCut, Duration(0)},
             std::map<std::string, Duration> lengths = {}) {
    ScheduleInputs in;
    in.playlist.transition = transition;
    in.playlist.default_items = std::move(items);
    in.power = power_;
    in.media_length = [lengths](const PlaylistItem& item) -> std::optional<Duration> {
      auto it = lengths.find(item.resolved);
      if (it == lengths.end()) return std::nullopt;
      return it->second;
    };
    scheduler_ = std::make_unique<Scheduler>(std::move(in));
    runner_ = std::make_unique<ScreenRunner>(ScreenRunnerOptions{"entrance", transition, "", standby_card_},
                                             *scheduler_, player_, cards_, display_, TimeZone::utc(),
                                             Logger(sink_, "t"));
    runner_->on_record = [this](const PlayRecord& r) { records_.push_back(r); };
    runner_->start(t0_, m0_);
  }
  // Runs frames at 30 fps for `length` from the start; returns the colours shown.
  void run_for(Duration length) {
    for (; elapsed_ <= length; elapsed_ += kFrame) {
      EXPECT_TRUE(runner_->frame(t0_ + elapsed_, m0_ + elapsed_).ok());
      // The panel keeps showing the last composed picture when nothing was re-composed.
      on_panel_.push_back(display_.shown.empty() ? Rgb{} : display_.shown.back());
    }
  }
  // The colour on the panel at `t` after start (the frame at or before it).
  Rgb at(Duration t) const { return on_panel_.at(static_cast<size_t>(t / kFrame)); }
  size_t black_frames_after_first() const {
    size_t first = 0;
    while (first < on_panel_.size() && on_panel_[first].black()) ++first;
    size_t n = 0;
    for (size_t i = first; i < on_panel_.size(); ++i) n += on_panel_[i].black();
    return n;
  }
  std::vector<Rgb> on_panel_;  // one per frame
  bool standby_card_ = false;
  std::optional<PowerSchedule> power_;

  NullLogSink sink_;
  FakePlayer player_;
  FakeCardRenderer cards_;
  FakeDisplay display_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<ScreenRunner> runner_;
  std::vector<PlayRecord> records_;
  TimePoint t0_ = TimePoint(std::chrono::hours(24 * 20500 + 10));
  MonoTime m0_ = MonoTime(Duration(1'000'000));
  Duration elapsed_{0};
};

TEST_F(ScreenRunnerTest, PlaysInOrderWithoutABlackFrameAndOneFrameGaps) {
  player_.files["/content/red.png"] = {kRed};
  player_.files["/content/green.png"] = {kGreen};
  build({image("red.png", 2), image("green.png", 2)});
  run_for(Duration(5900));
  EXPECT_EQ(black_frames_after_first(), 0u);
  EXPECT_EQ(at(Duration(100)), kRed);
  EXPECT_EQ(at(Duration(1950)), kRed);
  EXPECT_EQ(at(Duration(2100)), kGreen);
  EXPECT_EQ(at(Duration(4100)), kRed);  // the sequence loops
  const ScreenStats& st = runner_->stats();
  EXPECT_EQ(st.items, 3);
  EXPECT_EQ(st.transitions, 2);
  EXPECT_LE(st.max_gap_ms, 33.0);
  EXPECT_EQ(st.max_late_ms, 0.0);  // prerolled while the previous item played
  // The next item was prepared long before it was due.
  ASSERT_GE(player_.prepared.size(), 2u);
  EXPECT_EQ(player_.prepared[1], "/content/green.png");
}

// The run loop sleeps until next_deadline() (common/ticker.h): a still picture costs a few
// frame-rate turns around each item change (preroll) and none in between, and each change is
// still on time because the item's end is a deadline.
TEST_F(ScreenRunnerTest, AStillPictureNeedsNoTurnsUntilItsItemEnds) {
  player_.files["/content/red.png"] = {kRed};
  player_.files["/content/green.png"] = {kGreen};
  build({image("red.png", 10), image("green.png", 10)});
  int turns = 0;
  std::optional<Duration> green_at;
  for (Duration t{0}; t <= Duration(40'000);) {
    ASSERT_TRUE(runner_->frame(t0_ + t, m0_ + t).ok());
    ++turns;
    if (!green_at && !display_.shown.empty() && display_.shown.back() == kGreen) green_at = t;
    TimePoint due = runner_->next_deadline(t0_ + t);
    t = due <= t0_ + t ? t + kFrame : std::chrono::duration_cast<Duration>(due - t0_);
  }
  EXPECT_EQ(runner_->stats().items, 5);  // at 0, 10, 20, 30 and 40 s
  EXPECT_LE(turns, 5 * 4);               // 30 fps would be 1213 turns
  ASSERT_TRUE(green_at.has_value());
  EXPECT_EQ(*green_at, Duration(10'000));  // woken by the item's end, not late
  EXPECT_EQ(runner_->stats().max_late_ms, 0.0);
}

TEST_F(ScreenRunnerTest, AVideoAsksForFrameRateTurns) {
  player_.files["/content/clip.webm"] = {kBlue};
  build({video("clip.webm")}, {TransitionKind::kCut, Duration(0)}, {{"/content/clip.webm", Duration(5000)}});
  run_for(Duration(1000));
  EXPECT_EQ(runner_->next_deadline(t0_ + elapsed_), t0_ + elapsed_);
}

TEST_F(ScreenRunnerTest, ProofOfPlayRecordsEachItemWithItsGap) {
  player_.files["/content/red.png"] = {kRed};
  player_.files["/content/green.png"] = {kGreen};
  build({image("red.png", 2), image("green.png", 2)});
  run_for(Duration(4500));
  runner_->finish(m0_ + elapsed_);
  ASSERT_EQ(records_.size(), 3u);
  EXPECT_EQ(records_[0].item, "red.png");
  EXPECT_EQ(records_[0].rule, "default");
  EXPECT_EQ(records_[0].kind, "image");
  EXPECT_FALSE(records_[0].gap_ms.has_value());
  EXPECT_NEAR(records_[0].seconds_shown, 2.0, 0.04);
  EXPECT_EQ(records_[1].item, "green.png");
  ASSERT_TRUE(records_[1].gap_ms.has_value());
  EXPECT_LE(*records_[1].gap_ms, 33.0);
  // Green's first frame is the first frame at or after 2 s: 61 frames of 33 ms.
  EXPECT_EQ(records_[1].start - records_[0].start, Duration(61 * 33));
}

TEST_F(ScreenRunnerTest, CrossfadeMidpointShowsBothItemsMixed) {
  player_.files["/content/red.png"] = {kRed};
  player_.files["/content/green.png"] = {kGreen};
  build({image("red.png", 2), image("green.png", 2)}, {TransitionKind::kCrossfade, Duration(500)});
  run_for(Duration(3000));
  // The switch happens on the first frame at or after 2 s (frame 61 = 2013 ms).
  Rgb mid = on_panel_.at(61 + 8);  // 264 ms into the fade
  EXPECT_NEAR(mid.r, 128, 12);
  EXPECT_NEAR(mid.g, 128, 12);
  EXPECT_EQ(at(Duration(2700)), kGreen);
  EXPECT_EQ(black_frames_after_first(), 0u);
}

TEST_F(ScreenRunnerTest, FailedPrerollIsSkippedAndThePreviousPictureStays) {
  player_.files["/content/red.png"] = {kRed};
  player_.files["/content/bad.webm"] = {kWhite, /*fail_preroll=*/true};
  player_.files["/content/green.png"] = {kGreen};
  build({image("red.png", 2), image("bad.webm", 2), image("green.png", 2)});
  run_for(Duration(6500));
  EXPECT_EQ(black_frames_after_first(), 0u);
  EXPECT_EQ(at(Duration(3000)), kRed);    // the bad item's slot keeps the last good picture
  EXPECT_EQ(at(Duration(4200)), kGreen);  // and playback goes on
  EXPECT_EQ(runner_->stats().skipped, 1);
  for (const Rgb& c : on_panel_) EXPECT_NE(c, kWhite);
}

TEST_F(ScreenRunnerTest, MissingFileIsSkippedToo) {
  player_.files["/content/red.png"] = {kRed};
  build({image("red.png", 1), image("missing.png", 1)});
  run_for(Duration(3500));
  EXPECT_EQ(black_frames_after_first(), 0u);
  EXPECT_GE(runner_->stats().skipped, 1);
}

TEST_F(ScreenRunnerTest, SlowPrerollHoldsTheLastFrameAndReportsLateness) {
  player_.files["/content/red.png"] = {kRed};
  // Needs ~90 frames (3 s) to preroll but is due 2 s after it was first asked for.
  player_.files["/content/slow.png"] = {kGreen, false, 90};
  build({image("red.png", 2), image("slow.png", 4)});
  run_for(Duration(5000));
  EXPECT_EQ(black_frames_after_first(), 0u);
  EXPECT_EQ(at(Duration(2500)), kRed);  // held
  EXPECT_EQ(at(Duration(3300)), kGreen);
  EXPECT_GT(runner_->stats().max_late_ms, 900.0);
  EXPECT_LE(runner_->stats().max_gap_ms, 33.0);
}

TEST_F(ScreenRunnerTest, VideoThatNeverEndsIsCutAtItsScheduledLength) {
  player_.files["/content/forever.webm"] = {kBlue, false, 1, -1};
  player_.files["/content/red.png"] = {kRed};
  build({video("forever.webm"), image("red.png", 1)}, {}, {{"/content/forever.webm", Duration(1500)}});
  run_for(Duration(2200));
  EXPECT_EQ(at(Duration(1000)), kBlue);
  EXPECT_EQ(at(Duration(1700)), kRed);
}

TEST_F(ScreenRunnerTest, VideoThatEndsEarlyHoldsItsLastFrame) {
  player_.files["/content/short.webm"] = {kBlue, false, 1, 10};  // ends after ~330 ms
  player_.files["/content/red.png"] = {kRed};
  build({video("short.webm"), image("red.png", 1)}, {}, {{"/content/short.webm", Duration(1500)}});
  run_for(Duration(2000));
  EXPECT_EQ(at(Duration(1200)), kBlue);  // frozen on the last frame, never black
  EXPECT_EQ(at(Duration(1600)), kRed);
  EXPECT_EQ(black_frames_after_first(), 0u);
}

TEST_F(ScreenRunnerTest, SingleClipLoopsSeamlesslyByWrappingOnePipeline) {
  player_.files["/content/loop.webm"] = {kBlue, false, 1, 30};
  build({video("loop.webm")}, {}, {{"/content/loop.webm", Duration(1000)}});
  run_for(Duration(5000));
  EXPECT_EQ(black_frames_after_first(), 0u);
  EXPECT_GE(runner_->stats().transitions, 4);
  EXPECT_LE(runner_->stats().max_gap_ms, 33.0);
  EXPECT_EQ(runner_->stats().max_late_ms, 0.0);
  EXPECT_EQ(player_.prepared.size(), 1u);  // one decoder for every repetition
  EXPECT_GE(player_.loops, 4);
  EXPECT_LE(player_.alive(), 2u);  // old rounds are released
  ASSERT_GE(records_.size(), 4u);  // every repetition is its own proof-of-play row
}

TEST_F(ScreenRunnerTest, LoopThatNeverWrapsFallsBackToAFreshPreroll) {
  player_.files["/content/loop.webm"] = {kBlue, false, 1, 30};
  player_.wraps = false;
  build({video("loop.webm")}, {}, {{"/content/loop.webm", Duration(1000)}});
  run_for(Duration(5000));
  EXPECT_EQ(black_frames_after_first(), 0u);
  EXPECT_GE(runner_->stats().transitions, 4);  // no repetition is lost to a frozen frame
  EXPECT_LE(runner_->stats().max_gap_ms, 66.0);
  EXPECT_GE(player_.prepared.size(), 5u);
}

TEST_F(ScreenRunnerTest, ClipRepeatedWithAnExplicitDurationIsPrerolledAfresh) {
  // A duration of its own means the clip is cut or held, not played to its end: each repetition
  // starts from a separately prerolled first frame.
  player_.files["/content/loop.webm"] = {kBlue, false, 1, -1};
  PlaylistItem v = video("loop.webm");
  v.duration = Duration(1000);
  build({v}, {}, {{"/content/loop.webm", Duration(3000)}});
  run_for(Duration(3500));
  EXPECT_EQ(black_frames_after_first(), 0u);
  EXPECT_GE(runner_->stats().transitions, 3);
  EXPECT_LE(runner_->stats().max_gap_ms, 33.0);
  EXPECT_EQ(player_.loops, 0);
  EXPECT_GE(player_.prepared.size(), 4u);
}

TEST_F(ScreenRunnerTest, SnapshotsShowTheItemThatStartsAndTheLastItemGetsOne) {
  // Issue 17: with a crossfade the first frame of an item is mostly the item that ends; each
  // snapshot must show the item that starts, and the item on screen at exit gets one too.
  player_.files["/content/red.png"] = {kRed};
  player_.files["/content/green.png"] = {kGreen};
  build({image("red.png", 2), image("green.png", 2)}, {TransitionKind::kCrossfade, Duration(500)});
  RgbaImage snap;
  std::vector<ScreenRunner::Snapshot> shots;
  for (; elapsed_ <= Duration(4200); elapsed_ += kFrame) {  // ends inside the third item's crossfade
    ASSERT_TRUE(runner_->frame(t0_ + elapsed_, m0_ + elapsed_, nullptr, &snap).ok());
    for (auto& s : runner_->take_snapshots()) shots.push_back(std::move(s));
  }
  EXPECT_EQ(shots.size(), 2u);  // red, green; the last red's crossfade is still running
  runner_->finish(m0_ + elapsed_, &snap);
  for (auto& s : runner_->take_snapshots()) shots.push_back(std::move(s));
  ASSERT_EQ(shots.size(), 3u);
  const Rgb want[] = {kRed, kGreen, kRed};
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(shots[i].image.at(0, 0).r, want[i].r);
    EXPECT_EQ(shots[i].image.at(0, 0).g, want[i].g);
    EXPECT_EQ(shots[i].item, i == 1 ? "green.png" : "red.png");
  }
  EXPECT_EQ(shots[1].item_start, t0_ + Duration(2013));  // its first frame: the first at or after 2 s
}

TEST_F(ScreenRunnerTest, TheScheduleStartsWithTheFirstPicture) {
  // Issue 17: a first picture that takes 1.5 s to decode keeps its whole length: the schedule
  // holds its first showing until its first frame, so proof of play is `simulate --from` it.
  player_.files["/content/red.png"] = {kRed, false, 45};  // ready after 45 frames
  player_.files["/content/green.png"] = {kGreen};
  build({image("red.png", 2), image("green.png", 2)});
  run_for(Duration(5000));
  runner_->finish(m0_ + elapsed_);
  ASSERT_GE(records_.size(), 2u);
  EXPECT_EQ(records_[0].item, "red.png");
  EXPECT_EQ(records_[0].start, t0_ + Duration(44 * 33));
  EXPECT_NEAR(records_[0].seconds_shown, 2.0, 0.034);
  EXPECT_EQ(records_[1].item, "green.png");
  const int64_t green_frame = (44 * 33 + 2000 + 32) / 33;  // the first frame at or after red's end
  EXPECT_EQ(records_[1].start, t0_ + Duration(green_frame * 33));
}

TEST_F(ScreenRunnerTest, AFirstPictureThatNeverComesDoesNotHoldTheScheduleForever) {
  player_.files["/content/red.png"] = {kRed, false, 1'000'000};  // never ready
  player_.files["/content/green.png"] = {kGreen};
  build({image("red.png", 2), image("green.png", 2)});
  run_for(Duration(18'000));
  EXPECT_GE(runner_->stats().items, 1);  // green plays after the wait
  EXPECT_EQ(on_panel_.back(), kGreen);
}

TEST_F(ScreenRunnerTest, SnapshotsWithCutsAreReadBackOnlyWhenAnItemStarts) {
  player_.files["/content/red.png"] = {kRed};
  player_.files["/content/green.png"] = {kGreen};
  build({image("red.png", 2), image("green.png", 2)});
  RgbaImage snap;
  std::vector<Rgb> colours;
  for (; elapsed_ <= Duration(4500); elapsed_ += kFrame) {
    ASSERT_TRUE(runner_->frame(t0_ + elapsed_, m0_ + elapsed_, nullptr, &snap).ok());
    for (auto& s : runner_->take_snapshots()) colours.push_back({s.image.at(0, 0).r, s.image.at(0, 0).g, s.image.at(0, 0).b});
  }
  ASSERT_EQ(colours.size(), 3u);
  EXPECT_EQ(colours[0], kRed);
  EXPECT_EQ(colours[1], kGreen);
  EXPECT_EQ(colours[2], kRed);
  EXPECT_EQ(display_.captures, 3);  // not every frame
  runner_->finish(m0_ + elapsed_, &snap);
  EXPECT_TRUE(runner_->take_snapshots().empty());  // the last item has its snapshot already
}

TEST_F(ScreenRunnerTest, StillPicturesAreComposedOnceNotEveryFrame) {
  player_.files["/content/red.png"] = {kRed};
  player_.files["/content/clip.webm"] = {kBlue, false, 1, -1};
  build({image("red.png", 2), video("clip.webm")}, {}, {{"/content/clip.webm", Duration(2000)}});
  run_for(Duration(1900));
  EXPECT_LE(display_.shown.size(), 3u);  // the still: composed once (plus start-up)
  size_t before = display_.shown.size();
  run_for(Duration(3900));
  EXPECT_GE(display_.shown.size() - before, 55u);  // a video: every frame
}

TEST_F(ScreenRunnerTest, TextItemsBecomeCards) {
  player_.files["/content/red.png"] = {kRed};
  build({image("red.png", 1), text("Welcome to the library", 1)});
  run_for(Duration(2500));
  EXPECT_EQ(at(Duration(1500)), kBlue);  // the fake card colour
  ASSERT_FALSE(cards_.rendered.empty());
  EXPECT_EQ(cards_.rendered.front().title, "Welcome to the library");
}

TEST_F(ScreenRunnerTest, CardThatCannotBeDrawnIsSkipped) {
  player_.files["/content/red.png"] = {kRed};
  cards_.fail = true;
  build({image("red.png", 1), text("x", 1)});
  run_for(Duration(2500));
  EXPECT_EQ(black_frames_after_first(), 0u);
  EXPECT_GE(runner_->stats().skipped, 1);
}

TEST_F(ScreenRunnerTest, OverrideCutsInAtOnce) {
  player_.files["/content/red.png"] = {kRed};
  build({image("red.png", 10)});
  run_for(Duration(1000));
  scheduler_->set_override(Override{"Fire drill", std::nullopt}, t0_ + elapsed_);
  run_for(Duration(1200));
  EXPECT_EQ(on_panel_.back(), kBlue);
  EXPECT_EQ(cards_.rendered.back().title, "Fire drill");
  EXPECT_EQ(cards_.rendered.back().style, CardStyle::kOverride);
}

// Standby on a real panel is black (the TV may sleep); in a desktop window it is a dim card that
// says until when.
TEST_F(ScreenRunnerTest, StandbyIsBlackOnAPanelAndADimCardInAWindow) {
  player_.files["/content/red.png"] = {kRed};
  power_ = PowerSchedule{TimeOfDay{11 * 60}, TimeOfDay{12 * 60}};  // t0_ is 10:00: standby
  build({image("red.png", 10)});
  run_for(Duration(500));
  EXPECT_TRUE(on_panel_.back().black());
  EXPECT_TRUE(cards_.rendered.empty());
}

TEST_F(ScreenRunnerTest, StandbyInAWindowSaysUntilWhen) {
  player_.files["/content/red.png"] = {kRed};
  power_ = PowerSchedule{TimeOfDay{8 * 60 + 45}, TimeOfDay{9 * 60}};  // t0_ is 10:00: standby
  standby_card_ = true;
  build({image("red.png", 10)});
  run_for(Duration(500));
  EXPECT_EQ(on_panel_.back(), kBlue);
  ASSERT_FALSE(cards_.rendered.empty());
  EXPECT_EQ(cards_.rendered.back().title, "standby until 08:45 (power)");
  EXPECT_EQ(cards_.rendered.back().style, CardStyle::kStandby);
}

}  // namespace
}  // namespace branchcast
