// The daemon's wiring helpers (issue 7): clock-trust gating of the schedulers, HDMI-CEC power per
// screen with a fake CEC port, and what a screen shows in standby (the black-screen fallback).
#include <gtest/gtest.h>

#include <deque>

#include "appliance/clock_gated_schedules.h"
#include "media/screen_runner.h"
#include "appliance/screen_session.h"
#include "appliance/tv_power_wiring.h"
#include "config/loader.h"
#include "scheduler/inputs.h"
#include "tests/appliance/recording_log.h"
#include "tests/config/test_support.h"
#include "tests/media/fakes/fake_media.h"

namespace branchcast {
namespace {

using fakes::Rgb;
using namespace std::chrono_literals;
using Step = TvPowerController::Step;

constexpr Rgb kRed{255, 0, 0}, kGreen{0, 255, 0};
constexpr Duration kFrame{33};

using fakes::image;

// Default playlist: red. A rule that always applies: green. Power off all day.
ScheduleInputs full_inputs() {
  ScheduleInputs in;
  in.playlist.default_items = {image("red.png", 2)};
  PlaylistRule rule;
  rule.name = "Always";
  rule.items = {image("green.png", 2)};
  in.playlist.rules.push_back(rule);
  in.power = PowerSchedule{TimeOfDay{23 * 60 + 58}, TimeOfDay{23 * 60 + 59}};
  return in;
}

TEST(ClockGatedSchedules, DefaultPlaylistUntilTrustedThenRulesWithoutABlackFrame) {
  NullLogSink sink;
  fakes::FakePlayer player;
  fakes::FakeCardRenderer cards;
  fakes::FakeDisplay display;
  player.files["/content/red.png"] = {kRed};
  player.files["/content/green.png"] = {kGreen};
  ClockGatedSchedules gate(false);
  Scheduler scheduler(gate.inputs_for(full_inputs()));
  gate.attach({&scheduler});
  ScreenRunner runner({"entrance", {}, ""}, scheduler, player, cards, display, TimeZone::utc(), Logger(sink, "t"));
  TimePoint t0 = TimePoint(std::chrono::hours(24 * 20500 + 10));
  MonoTime m0 = MonoTime(Duration(1'000'000));
  runner.start(t0, m0);
  std::vector<Rgb> panel;
  auto run = [&](Duration from, Duration to) {
    for (Duration e = from; e < to; e += kFrame) {
      ASSERT_TRUE(runner.frame(t0 + e, m0 + e).ok());
      panel.push_back(display.shown.empty() ? Rgb{} : display.shown.back());
    }
  };
  run(0ms, 3000ms);  // untrusted: no rules, no power schedule: the default playlist plays
  EXPECT_EQ(scheduler.showing().rule, "default");
  EXPECT_TRUE(scheduler.awake_at(t0));
  EXPECT_EQ(panel.back(), kRed);

  EXPECT_TRUE(gate.trust(t0 + 3000ms));
  EXPECT_FALSE(gate.trust(t0 + 3000ms));  // once
  EXPECT_FALSE(scheduler.awake_at(t0 + 3000ms));  // the power schedule applies now
  EXPECT_EQ(scheduler.showing().mode, ShowingMode::kStandby);

  ClockGatedSchedules trusted(true);
  Scheduler full(trusted.inputs_for(full_inputs()));
  full.start(t0);
  EXPECT_EQ(full.showing().mode, ShowingMode::kStandby);  // trusted at start: the full inputs
}

TEST(ClockGatedSchedules, SwitchToARuleKeepsThePictureUntilTheNextIsReady) {
  NullLogSink sink;
  fakes::FakePlayer player;
  fakes::FakeCardRenderer cards;
  fakes::FakeDisplay display;
  player.files["/content/red.png"] = {kRed};
  player.files["/content/green.png"] = {kGreen, false, 5};  // slow preroll: 5 frames
  ScheduleInputs in = full_inputs();
  in.power.reset();
  ClockGatedSchedules gate(false);
  Scheduler scheduler(gate.inputs_for(in));
  gate.attach({&scheduler});
  ScreenRunner runner({"entrance", {}, ""}, scheduler, player, cards, display, TimeZone::utc(), Logger(sink, "t"));
  TimePoint t0 = TimePoint(std::chrono::hours(24 * 20500 + 10));
  MonoTime m0 = MonoTime(Duration(1'000'000));
  runner.start(t0, m0);
  std::vector<Rgb> panel;
  for (Duration e = 0ms; e < 4000ms; e += kFrame) {
    if (e == 33ms * 30) gate.trust(t0 + e);
    ASSERT_TRUE(runner.frame(t0 + e, m0 + e).ok());
    panel.push_back(display.shown.empty() ? Rgb{} : display.shown.back());
  }
  EXPECT_EQ(scheduler.showing().rule, "Always");
  EXPECT_EQ(panel.back(), kGreen);
  size_t first = 0;
  while (first < panel.size() && panel[first].black()) ++first;
  for (size_t i = first; i < panel.size(); ++i) EXPECT_FALSE(panel[i].black()) << "black frame " << i;
  EXPECT_EQ(panel[31], kRed);  // held while green prerolled
}

// A CEC adapter that records what it was asked and answers as the test says.
class FakeCecPort final : public CecPort {
 public:
  struct Script {
    bool acks = true;
    std::optional<CecPowerStatus> status;  // what the TV reports; nullopt = no answer
    bool follows = true;                   // the TV's status follows the commands it acked
    std::vector<Step> steps;               // what the port was asked, in order
  };
  explicit FakeCecPort(std::shared_ptr<Script> script) : script_(std::move(script)) {}
  Result<bool> perform(Step step) override {
    script_->steps.push_back(step);
    if (script_->acks && script_->follows)
      script_->status = step == Step::kPowerOn ? CecPowerStatus::kOn : CecPowerStatus::kStandby;
    return script_->acks;
  }
  Result<std::optional<CecPowerStatus>> query_power_status() override {
    script_->steps.push_back(Step::kQueryStatus);
    return script_->status;
  }

 private:
  std::shared_ptr<Script> script_;
};

// TvPowerWiring with the worker and the loop replaced by queues the test runs.
class TvPowerWiringTest : public ::testing::Test {
 protected:
  void make(bool with_port) {
    tv_ = std::make_unique<TvPowerWiring>(
        std::vector<TvPowerWiring::Screen>{{"children", 1}},
        [this, with_port](size_t hdmi) -> Result<std::unique_ptr<CecPort>> {
          opened_hdmi_ = hdmi;
          if (!with_port) return make_error("/dev/cec1: cannot open: No such file or directory");
          auto port = std::make_unique<FakeCecPort>(script_);
          return std::unique_ptr<CecPort>(std::move(port));
        },
        [this](std::function<void()> job) { worker_.push_back(std::move(job)); },
        [this](std::function<void()> fn) { loop_.push_back(std::move(fn)); }, Logger(log_, "tv"),
        TvPowerController::Options{15s, 60s, 3});
    drain();
  }
  // Runs the worker's jobs, then what they posted to the loop.
  void drain() {
    while (!worker_.empty() || !loop_.empty()) {
      while (!worker_.empty()) {
        auto job = std::move(worker_.front());
        worker_.pop_front();
        job();
      }
      while (!loop_.empty()) {
        auto fn = std::move(loop_.front());
        loop_.pop_front();
        fn();
      }
    }
  }
  // Ticks at every deadline up to `until`.
  void run_until(TimePoint until) {
    for (TimePoint d = tv_->next_deadline(t0_); d <= until; d = tv_->next_deadline(d)) {
      tv_->tick(Turn{d, {}});
      drain();
    }
  }

  test_support::RecordingLog log_;
  std::shared_ptr<FakeCecPort::Script> script_ = std::make_shared<FakeCecPort::Script>();
  size_t opened_hdmi_ = 99;
  std::deque<std::function<void()>> worker_, loop_;
  std::unique_ptr<TvPowerWiring> tv_;
  TimePoint t0_ = TimePoint(std::chrono::hours(24 * 20500 + 20));
};

TEST_F(TvPowerWiringTest, ObedientTvIsSwitchedAndVerified) {
  script_->status = CecPowerStatus::kOn;
  make(true);
  EXPECT_EQ(opened_hdmi_, 1u);
  tv_->set_wanted(0, false, t0_);
  run_until(t0_ + 1min);
  EXPECT_EQ(script_->steps, (std::vector<Step>{Step::kStandby, Step::kQueryStatus}));
  EXPECT_EQ(tv_->tv_obeyed(0), true);
  EXPECT_EQ(tv_->fallback_mode(0), "");  // the TV is off: no black picture needed
  EXPECT_EQ(log_.count("the TV follows the power schedule"), 1u);
  tv_->set_wanted(0, true, t0_ + 10h);
  run_until(t0_ + 11h);
  EXPECT_EQ(script_->steps.back(), Step::kQueryStatus);
  EXPECT_EQ(script_->steps[2], Step::kPowerOn);
  EXPECT_EQ(tv_->tv_obeyed(0), true);
  EXPECT_EQ(log_.count("warn"), 0u);
}

TEST_F(TvPowerWiringTest, TvThatIgnoresStandbyIsReportedOnceAndBlackStandsIn) {
  script_->status = CecPowerStatus::kOn;
  script_->follows = false;  // acks, but stays on
  make(true);
  tv_->set_wanted(0, false, t0_);
  run_until(t0_ + 1h);
  EXPECT_EQ(tv_->tv_obeyed(0), false);
  EXPECT_EQ(tv_->fallback_mode(0), "black");
  EXPECT_EQ(std::count(script_->steps.begin(), script_->steps.end(), Step::kStandby), 3);  // then gives up
  EXPECT_EQ(log_.count("the TV did not obey (the TV reports on); showing a black picture"), 1u) << log_.lines.size();
  EXPECT_EQ(tv_->next_deadline(t0_ + 1h), TimePoint::max());
  // Wanted on again: the TV is on, as it reports: obeyed again, one line.
  tv_->set_wanted(0, true, t0_ + 10h);
  run_until(t0_ + 11h);
  EXPECT_EQ(tv_->tv_obeyed(0), true);
  EXPECT_EQ(tv_->fallback_mode(0), "");
  EXPECT_EQ(log_.count("the TV follows the power schedule"), 1u);
}

TEST_F(TvPowerWiringTest, TvThatDoesNotAcknowledgeIsDisobedient) {
  script_->acks = false;
  make(true);
  tv_->set_wanted(0, true, t0_);
  run_until(t0_ + 1h);
  EXPECT_EQ(tv_->tv_obeyed(0), false);
  EXPECT_EQ(tv_->fallback_mode(0), "");  // wanted on: nothing to black out
  EXPECT_EQ(log_.count("the TV did not acknowledge the command"), 1u);
}

TEST_F(TvPowerWiringTest, NoAdapterMeansBlackPictureAndNoVerdict) {
  make(false);
  tv_->set_wanted(0, false, t0_);
  run_until(t0_ + 1h);
  EXPECT_EQ(tv_->tv_obeyed(0), std::nullopt);
  EXPECT_EQ(tv_->fallback_mode(0), "black");
  EXPECT_EQ(log_.count("a black picture stands in when off by plan"), 1u);
  tv_->set_wanted(0, true, t0_ + 2h);
  EXPECT_EQ(tv_->fallback_mode(0), "");
}

TEST_F(TvPowerWiringTest, ResultsPostedAfterDestructionAreDropped) {
  make(true);
  tv_->set_wanted(0, false, t0_);
  tv_->tick(Turn{t0_, {}});
  ASSERT_EQ(worker_.size(), 1u);
  tv_.reset();
  drain();  // the CEC call runs (the port outlives the wiring), its result is dropped
  EXPECT_EQ(script_->steps.size(), 1u);
}

// As a Ticker: asked every second what each screen wants (its scheduler, in the appliance); a
// clock step makes the check due at once.
TEST_F(TvPowerWiringTest, TheWantedCheckIsATickerDeadline) {
  script_->status = CecPowerStatus::kOn;
  make(true);
  std::vector<size_t> asked;
  bool on = false;
  tv_->check_wanted([&](size_t hdmi, TimePoint) {
    asked.push_back(hdmi);
    return on;
  });
  EXPECT_LE(tv_->next_deadline(t0_), t0_);  // due at once
  tv_->tick(Turn{t0_, {}});
  drain();
  EXPECT_EQ(asked, (std::vector<size_t>{1}));
  EXPECT_EQ(script_->steps.front(), Step::kStandby);
  EXPECT_LE(tv_->next_deadline(t0_), t0_ + TvPowerWiring::kCheckEvery);
  const TimePoint back = t0_ - 3h;
  tv_->clock_stepped(-3h, Turn{back, {}});
  EXPECT_EQ(tv_->next_deadline(back), back);
}

// The fallback picture: a screen in standby (power off by plan) presents black, for real (SDL
// offscreen read-back).
TEST(StandbyPicture, IsBlackOnTheRealCompositor) {
  testing::TempDir t;
  t.write("appliance.yaml", R"(branch:
  id: b
  name: B
  timezone: UTC
screens:
  - id: hall
    output: offscreen
    resolution: 64x36
    playlist: playlist.yaml
    power: { on: "23:58", off: "23:59" }
)");
  t.write("playlist.yaml", "default:\n  - text: \"Welcome\"\n    duration: 5s\n");
  auto settings = load_appliance(t / "appliance.yaml");
  ASSERT_TRUE(settings.ok()) << (settings.errors.empty() ? "" : settings.errors[0].message);
  auto inputs = schedule_inputs_for_screen(*settings.settings, "hall");
  ASSERT_TRUE(inputs.ok());
  NullLogSink sink;
  auto session = open_screen_session(*settings.settings, settings.settings->screens[0], std::move(*inputs), true, sink);
  ASSERT_TRUE(session.ok()) << session.error().message;
  ScreenSession& s = **session;
  TimePoint noon = TimePoint(std::chrono::hours(24 * 20500 + 12));
  MonoTime m0 = MonoTime(Duration(5'000));
  s.runner->start(noon, m0);
  ASSERT_EQ(s.scheduler->showing().mode, ShowingMode::kStandby);
  RgbaImage capture;
  ASSERT_TRUE(s.runner->frame(noon, m0, &capture).ok());
  ASSERT_EQ(capture.width, 64);
  ASSERT_EQ(capture.pixels.size(), 64u * 36u * 4u);
  size_t lit = 0;
  for (size_t i = 0; i < capture.pixels.size(); i += 4)
    lit += capture.pixels[i] + capture.pixels[i + 1] + capture.pixels[i + 2] != 0;
  EXPECT_EQ(lit, 0u);
}

}  // namespace
}  // namespace branchcast
