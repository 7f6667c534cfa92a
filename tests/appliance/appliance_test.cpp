// The Appliance (appliance/appliance.h) turn by turn on a fake clock (issue 12 item 5): built from
// fakes for every port - a hand-turned event loop, an in-memory state database, an HTTP client
// whose requests wait at a gate, the fake BLE radio, the fake player/display/cards behind a real
// Scheduler and ScreenRunner. Each turn reads the fake clock once, as the run loop does: clock-step
// detection, posted jobs, the screen's frame, the appliance's tick; the clock then moves to the
// next deadline (frame-rate steps only while the screen moves). Nothing here reads the wall clock
// or asserts on real elapsed time (waits for worker threads are hang guards).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "appliance/appliance.h"
#include "appliance/run_loop.h"
#include "ble/radio.h"
#include "feeds/catalogue.h"
#include "media/screen_runner.h"
#include "recommend/model.h"
#include "services/cec_power.h"
#include "store/database.h"
#include "store/play_log_repository.h"
#include "store/state_database.h"
#include "tests/appliance/recording_log.h"
#include "tests/ble/fakes/fake_clock.h"
#include "tests/config/test_support.h"
#include "tests/ble/fakes/fake_radio.h"
#include "tests/media/fakes/fake_media.h"
#include "tests/support/fake_http_client.h"
#include "tests/support/manual_event_loop.h"
#include "tests/support/turn_by_turn.h"

namespace branchcast {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using fakes::Rgb;
using fakes::image;

constexpr Rgb kRed{255, 0, 0}, kGreen{0, 255, 0}, kBlue{0, 0, 255};
constexpr Duration kFrame{33};
const std::string kFeedUrl = "http://feeds.test/events.ics";

// Monday 7 December 2026, hh:mm:ss.mmm UTC.
TimePoint monday(int h, int m, int s, int ms = 0) {
  return TimePoint(sys_days{2026y / 12 / 7}.time_since_epoch() + hours(h) + minutes(m) + seconds(s) + milliseconds(ms));
}

const char* kIcs =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:story@test\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20261208T160000Z\r\n"
    "DTEND:20261208T170000Z\r\nSUMMARY:Story time\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

// One screen, `hall`: a red picture for a minute by default; on Tuesdays a green one (cuts in).
// One iCalendar feed, presence counting on the fake radio, health on an ephemeral loopback port.
ApplianceSettings settings() {
  ApplianceSettings s;
  s.branch.id = "b";
  s.branch.name = "B";
  s.branch.timezone = "UTC";
  ScreenSettings screen;
  screen.id = "hall";
  s.screens.push_back(screen);
  FeedSettings feed;
  feed.id = "events";
  feed.kind = FeedKind::kIcal;
  feed.url = kFeedUrl;
  s.feeds.push_back(feed);
  s.presence.enabled = true;
  s.health.listen = "127.0.0.1:0";
  return s;
}

ScheduleInputs screen_inputs() {
  ScheduleInputs in;
  in.playlist.default_items = {image("red.png", 60)};
  PlaylistRule tuesday;
  tuesday.name = "Tuesday";
  tuesday.interrupt = true;
  tuesday.when.given = true;
  tuesday.when.days = std::array<bool, 7>{false, true, false, false, false, false, false};
  tuesday.items = {image("green.png", 60)};
  in.playlist.rules.push_back(tuesday);
  return in;
}

class ApplianceTest : public ::testing::Test {
 protected:
  void SetUp() override { start(monday(23, 58, 30)); }  // items end at :30, rules change at :00

  void start(TimePoint t0) {
    clock_.set(t0);
    run_.reset();
    loop_ = std::make_unique<testing::ManualEventLoop>();
    auto db = Database::open(db_path_);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(prepare_state_schema(*db_).ok());
    http_.answer(kFeedUrl, kIcs);
    player_.files["/content/red.png"] = {kRed};
    player_.files["/content/green.png"] = {kGreen};
    player_.files["/content/blue.png"] = {kBlue};

    DaemonOptions options;
    options.system_root = dir_.path();
    options.kernel_clock_state = false;
    options.require_synced_clock = false;
    options.watch_config = false;
    options.state_dir = dir_.path();
    options.stop_bound = stop_bound_;
    StateDatabaseStatus status;
    status.path = ":memory:";
    AppliancePorts ports{*loop_, *db_, status, &http_, {}, {}, open_cec_};
    ports.open_radio = [this](ble::AddressHasher&) -> Result<std::unique_ptr<ble::BleRadio>> {
      auto radio = std::make_unique<testing::FakeRadio>();
      radio_ = radio.get();
      return std::unique_ptr<ble::BleRadio>(std::move(radio));
    };
    appliance_ = std::make_unique<Appliance>(settings_, clock_, log_, options, std::move(ports));
    // The screen, then the appliance, on the real run loop, as `branchcast run` adds them.
    run_ = std::make_unique<testing::TurnByTurn>(
        clock_, *loop_, log_, *appliance_,
        testing::TurnByTurnScreen{ScreenRunnerOptions{"hall", {}, "", false}, screen_inputs(), player_, cards_, display_},
        [this](const Turn& t) { changes_.push_back({t.now, run_->scheduler().showing().rule, display_.shown.back()}); });
  }

  void TearDown() override {
    if (appliance_) {
      loop_->stop();
      appliance_.reset();
    }
  }

  void turn() { run_->turn(); }
  TimePoint next_turn() const { return run_->next_turn(); }
  void run_until(TimePoint end) { run_->run_until(end); }

  Rgb on_screen() const { return display_.shown.empty() ? Rgb{} : display_.shown.back(); }

  struct Change {
    TimePoint at;
    std::string rule;
    Rgb colour;
  };

  testing::TempDir dir_;  // the services' state folder and system root
  testing::FakeClock clock_{TimePoint{}};
  test_support::RecordingLog log_;
  std::unique_ptr<testing::ManualEventLoop> loop_;  // a new one per start(): a loop runs once
  std::unique_ptr<Database> db_;
  testing::FakeHttpClient http_;
  testing::FakeRadio* radio_ = nullptr;
  fakes::FakePlayer player_;
  fakes::FakeCardRenderer cards_;
  fakes::FakeDisplay display_;
  ApplianceSettings settings_ = settings();
  std::unique_ptr<Appliance> appliance_;
  std::unique_ptr<testing::TurnByTurn> run_;  // the screen and the run loop
  std::vector<Change> changes_;
  std::string db_path_ = ":memory:";
  Duration stop_bound_{10'000};
  std::function<Result<std::unique_ptr<CecPort>>(size_t)> open_cec_;
};

// A CEC adapter whose calls never return (a kernel that never answers the ioctl).
class HangingCecPort final : public CecPort {
 public:
  explicit HangingCecPort(std::promise<void>* entered) : entered_(entered) {}
  Result<bool> perform(TvPowerController::Step) override { return hang(); }
  Result<std::optional<CecPowerStatus>> query_power_status() override {
    hang();
    return std::optional<CecPowerStatus>{};
  }

 private:
  bool hang() {
    entered_->set_value();
    for (;;) std::this_thread::sleep_for(1h);
  }
  std::promise<void>* entered_;
};

// 23:59:59.999 is Monday: red. Midnight is Tuesday: the rule cuts in at midnight exactly, with no
// black frame, and every component's deadline keeps the loop asleep while the picture is still.
TEST_F(ApplianceTest, MidnightSwitchesTheRuleOnTheTurnThatReadsMidnight) {
  run_until(monday(23, 59, 59, 999));
  EXPECT_EQ(run_->scheduler().showing().rule, "default");
  EXPECT_EQ(on_screen(), kRed);
  const TimePoint midnight = monday(24, 0, 0);
  EXPECT_EQ(run_->scheduler().next_deadline(), midnight);
  EXPECT_LE(next_turn(), midnight + 2ms);  // the loop wakes 2 ms late on purpose (run_loop.cpp)
  run_until(midnight);
  EXPECT_EQ(run_->scheduler().showing().rule, "Tuesday");
  run_until(midnight + 1s);
  ASSERT_FALSE(changes_.empty());
  EXPECT_EQ(changes_.back().rule, "Tuesday");
  EXPECT_EQ(changes_.back().colour, kGreen);
  EXPECT_GE(changes_.back().at, midnight);
  EXPECT_LE(changes_.back().at, midnight + 3 * kFrame);  // prerolled in the frames after midnight
  for (const Rgb& c : display_.shown) EXPECT_FALSE(c.black());
  EXPECT_EQ(appliance_->health(clock_.now()).screens.at(0).rule, "Tuesday");
}

// A still picture needs no frame-rate turns: 2 minutes of red cost a turn per deadline (the
// services' poll, the station, the feed), not 30 a second.
TEST_F(ApplianceTest, AStillPictureCostsNoFrameRateTurns) {
  run_until(monday(23, 58, 5));
  int before = run_->turns();
  run_until(monday(23, 59, 59));
  EXPECT_LT(run_->turns() - before, 115 * 2);  // ~1/s or fewer, never ~30/s (3 300)
  EXPECT_EQ(on_screen(), kRed);
}

// The wall clock is set back 3 hours at 00:00:30 (Tuesday): the schedule starts again on Monday
// evening (red), once; the radio's rotation is told the step; deadlines stay seconds away, not
// hours.
TEST_F(ApplianceTest, AClockStepRestartsTheScheduleOnceAndMovesEveryDeadline) {
  run_until(monday(24, 0, 30));
  ASSERT_EQ(run_->scheduler().showing().rule, "Tuesday");
  ASSERT_NE(radio_, nullptr);
  clock_.step(-3h);
  run_until(clock_.now() + 2s);
  EXPECT_EQ(run_->scheduler().showing().rule, "default");
  EXPECT_EQ(on_screen(), kRed);
  EXPECT_EQ(radio_->stepped, Duration(-3h));
  EXPECT_EQ(log_.count(" clock: "), 1u) << "one step, logged once";
  EXPECT_LE(appliance_->next_deadline(clock_.now()), clock_.now() + 1min) << "seconds away, not 3 h";
  for (const Rgb& c : display_.shown) EXPECT_FALSE(c.black());
}

// The feed's fetch is held in flight while the red minute plays; it answers 20 s into the item.
// The catalogue and the recommender's model arrive as posted jobs and are applied in the next
// turns; the item on screen is not cut short and ends on time.
TEST_F(ApplianceTest, AFeedArrivingMidItemIsAppliedWithoutCuttingTheItem) {
  loop_->stop();
  appliance_.reset();
  changes_.clear();
  http_.close_gate();
  ApplianceTest::start(monday(10, 0, 0));
  run_until(monday(10, 0, 1));
  ASSERT_TRUE(http_.wait_in_flight(1)) << "the feed is fetched from its worker";
  const Showing item = run_->scheduler().showing();
  ASSERT_EQ(item.rule, "default");
  run_until(item.start + 20s);
  EXPECT_FALSE(appliance_->health(clock_.now()).feeds.at(0).last_success);
  http_.open_gate();
  // The fetch's outcome is posted to the loop and applied in the next turn (cache, catalogue,
  // every scheduler's events). Another post (the recommender's model of the empty cached
  // catalogue) may arrive first: turn until the outcome has been handled.
  while (!appliance_->health(clock_.now()).feeds.at(0).last_success) {
    ASSERT_TRUE(loop_->wait_for_post()) << "the fetch's outcome is posted to the loop";
    clock_.advance(kFrame);
    turn();
  }
  EXPECT_EQ(run_->scheduler().showing().serial, item.serial) << "the item on screen goes on";
  // The recommender's model is rebuilt off the loop and posted back (maybe already run above).
  auto events_in_model = [this] {
    const RecommenderModel* m = appliance_->model();
    return m ? m->items.size() - m->title_count : 0;
  };
  while (events_in_model() == 0) {
    ASSERT_TRUE(loop_->wait_for_post()) << "the recommender's model";
    clock_.advance(kFrame);
    turn();
  }
  EXPECT_EQ(events_in_model(), 1u);
  run_until(item.planned_end);
  EXPECT_EQ(changes_.back().at, item.planned_end) << "the next item starts when the first ends";
  EXPECT_EQ(http_.urls().size(), 1u);
}

// A valid configuration reload whose playlist changed (issue 13 item 3): applied to the screen in
// place - no restart, the same scheduler - the red item on screen plays to its planned end, and the
// next item, at that instant, is the new playlist's (prerolled during the red one: no black frame).
TEST_F(ApplianceTest, AChangedPlaylistIsAppliedWithoutARestartAndTheItemOnScreenPlaysOn) {
  settings_.playlists["hall"] = screen_inputs().playlist;  // what the screen plays
  run_until(monday(23, 58, 40));
  const Showing red = run_->scheduler().showing();
  ASSERT_EQ(on_screen(), kRed);
  ApplianceSettings next = settings_;
  next.playlists["hall"].default_items = {image("blue.png", 60)};
  next.playlists["hall"].rules.clear();
  appliance_->on_config_changed(next);
  run_until(monday(23, 58, 50));
  EXPECT_FALSE(appliance_->run_again()) << "no restart";
  EXPECT_FALSE(loop_->quit_called);
  EXPECT_FALSE(appliance_->next_settings());
  EXPECT_EQ(run_->scheduler().showing().serial, red.serial) << "the item on screen is not cut";
  EXPECT_EQ(on_screen(), kRed);
  EXPECT_EQ(log_.count("applied to the screens"), 1u);
  ASSERT_FALSE(player_.prepared.empty());
  EXPECT_EQ(player_.prepared.back(), "/content/blue.png") << "prerolled during the red item";
  run_until(red.planned_end + 1s);
  ASSERT_FALSE(changes_.empty());
  EXPECT_EQ(changes_.back().colour, kBlue) << "the next item comes from the new playlist";
  EXPECT_GE(changes_.back().at, red.planned_end);
  EXPECT_LE(changes_.back().at, red.planned_end + 2ms) << "on time (the loop wakes 2 ms late on purpose)";
  EXPECT_EQ(run_->scheduler().showing().rule, "default");
  run_until(monday(24, 0, 10));  // the old playlist's Tuesday rule is gone with it
  EXPECT_EQ(on_screen(), kBlue);
  for (const Rgb& c : display_.shown) EXPECT_FALSE(c.black());
}

// A rule added by a reload that is active now and interrupts cuts in at once, as the rule would
// have when it became active; one that was already playing (same name) is not started again.
TEST_F(ApplianceTest, AReloadedInterruptRuleActiveNowCutsInAndAPlayingOneGoesOn) {
  settings_.playlists["hall"] = screen_inputs().playlist;
  run_until(monday(24, 0, 10));  // Tuesday: the green rule plays
  const Showing green = run_->scheduler().showing();
  ASSERT_EQ(green.rule, "Tuesday");
  ApplianceSettings next = settings_;
  next.playlists["hall"].default_items = {image("blue.png", 60)};
  appliance_->on_config_changed(next);  // the Tuesday rule unchanged: goes on
  run_until(monday(24, 0, 20));
  EXPECT_EQ(run_->scheduler().showing().serial, green.serial);
  PlaylistRule now = next.playlists["hall"].rules.front();
  now.name = "Always";
  now.priority = 5;
  now.when.days = std::array<bool, 7>{true, true, true, true, true, true, true};
  now.items = {image("blue.png", 60)};
  next.playlists["hall"].rules.push_back(now);
  appliance_->on_config_changed(next);
  run_until(monday(24, 0, 21));
  EXPECT_EQ(run_->scheduler().showing().rule, "Always");
  EXPECT_EQ(on_screen(), kBlue);
  EXPECT_FALSE(appliance_->run_again());
}

// What the screens cannot take in place (here a rotation) ends the loop: the caller runs again
// with the settings the reloader validated, without loading the files a second time.
TEST_F(ApplianceTest, AChangeOfTheScreensOutputRestartsWithTheValidatedSettings) {
  settings_.playlists["hall"] = screen_inputs().playlist;
  run_until(monday(23, 58, 40));
  ApplianceSettings next = settings_;
  next.screens[0].rotation = 90;
  appliance_->on_config_changed(next);
  EXPECT_TRUE(appliance_->run_again());
  EXPECT_TRUE(loop_->quit_called);
  ASSERT_TRUE(appliance_->next_settings());
  EXPECT_EQ(appliance_->next_settings()->screens[0].rotation, 90);
  EXPECT_EQ(log_.count("output changed: the screens restart"), 1u);
}

// The patrons file's contents are compared on the config worker (ConfigReloader::changed_files):
// the loop reads no file. Named among the changed files it restarts (the prompts' enrolment is
// built at start); a playlist file changed is applied in place.
TEST_F(ApplianceTest, APatronsFileChangedOnTheWorkerRestartsAndAPlaylistChangeDoesNot) {
  settings_.playlists["hall"] = screen_inputs().playlist;
  const std::string patrons = dir_.path() + "/no-such-patrons.yaml";  // never opened here
  settings_.notifications.patrons = "file:" + patrons;
  run_until(monday(23, 58, 40));
  ApplianceSettings next = settings_;
  appliance_->on_config_changed(next, {dir_.path() + "/playlists/hall.yaml"});
  EXPECT_FALSE(appliance_->run_again());
  EXPECT_FALSE(loop_->quit_called);
  appliance_->on_config_changed(next, {dir_.path() + "/appliance.yaml", patrons});
  EXPECT_TRUE(appliance_->run_again());
  EXPECT_TRUE(loop_->quit_called);
  EXPECT_EQ(log_.count("the patrons file changed"), 1u);
}

// Shutdown while the feed's worker is stuck in a fetch: stop() and the destructor join it once it
// returns; what it posts then is dropped (the loop has ended) and counted, never run.
TEST_F(ApplianceTest, ShutdownWithAFetchInFlightJoinsTheWorkerAndDropsItsResult) {
  loop_->stop();
  appliance_.reset();
  http_.close_gate();
  ApplianceTest::start(monday(10, 0, 0));
  run_until(monday(10, 0, 1));
  ASSERT_TRUE(http_.wait_in_flight(1));
  loop_->stop();        // run() returned
  appliance_->stop();  // the stopping hook
  std::thread release([this] {
    std::this_thread::sleep_for(50ms);  // the destructor is (most likely) joining by now
    http_.open_gate();
  });
  appliance_.reset();
  release.join();
  EXPECT_GE(loop_->dropped_posts(), 1u);
  EXPECT_FALSE(appliance_);
}

// Bad input (issue 12): at shutdown the CEC worker is in a call that never returns. The stop
// abandons it after DaemonOptions::stop_bound: the process exits with status 0 and says so, instead
// of hanging until systemd kills it; the proof of play committed before is in the database file.
TEST_F(ApplianceTest, AWorkerThatNeverReturnsDoesNotHoldTheExitAndNoCommittedRowIsLost) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  loop_->stop();
  appliance_.reset();
  const std::string path = dir_.path() + "/state.db";
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(prepare_state_schema(**db).ok());
    auto plays = PlayLogRepository::open(**db);
    ASSERT_TRUE(plays.ok());
    PlayRecord r{"hall", "default", "image", "red.png", monday(9, 0, 0), 60, std::nullopt, 0};
    ASSERT_TRUE(plays->add(r).ok());
    ASSERT_TRUE(plays->flush().ok());
  }
  EXPECT_EXIT(
      {
        log_.echo = true;
        db_path_ = path;
        stop_bound_ = Duration(300);
        settings_.screens[0].power = PowerSchedule{};
        std::promise<void> entered;
        open_cec_ = [&entered](size_t) -> Result<std::unique_ptr<CecPort>> {
          return std::unique_ptr<CecPort>(std::make_unique<HangingCecPort>(&entered));
        };
        ApplianceTest::start(monday(10, 0, 0));
        auto in_call = entered.get_future();
        while (in_call.wait_for(0s) != std::future_status::ready) {  // the TV is asked on the worker
          loop_->wait_for_post(100ms);
          clock_.advance(kFrame);
          turn();
        }
        loop_->stop();
        appliance_->stop();  // joins the CEC worker: never returns by itself
        std::_Exit(3);
      },
      ::testing::ExitedWithCode(0), "a worker did not return within 300 ms of the stop");
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok());
  auto q = (*db)->prepare("SELECT count(*) FROM play_log");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->step().ok());
  EXPECT_EQ(q->column_int(0), 1);
}

}  // namespace
}  // namespace branchcast
