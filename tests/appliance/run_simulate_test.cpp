// One truth (issue 17): what `run` plays is `simulate --from <the run's first item start>`, item
// for item: rule, kind and item identical, lengths equal to one decimal. The config plays short
// images, text, event cards and recommended cards, with a rule window opening at 10:00, 8 s in;
// both feeds load after the start (`simulate` models that: they change what plays from the end
// of the first item on).
//
// Deterministic (issue 12 item 5): the comparison drives what `run` is made of - the Appliance
// (FeedService fetching the file: feeds through the real curl client on its worker, the
// recommender on its worker), the screen's real Scheduler and ScreenRunner, the real RunLoop - turn
// by turn on a fake clock from 09:59:52, with the fake player, cards and display. A loaded machine
// cannot change what it sees: time moves only when the test moves it, and the workers' results are
// waited for (a hang guard) before the first item ends, as `simulate` assumes.
//
// One real-time smoke run stays (GLib loop, GStreamer, SDL offscreen, SQLite): it asserts no
// timing at all - it exits 0, and every item it presented has one snapshot that shows that item.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "appliance/appliance.h"
#include "appliance/appliance_daemon.h"
#include "appliance/run_loop.h"
#include "common/http_client.h"
#include "config/loader.h"
#include "media/gst_player.h"
#include "media/screen_runner.h"
#include "recommend/model.h"
#include "scheduler/inputs.h"
#include "store/database.h"
#include "store/state_database.h"
#include "tests/appliance/cli_harness.h"
#include "tests/appliance/loopback.h"
#include "tests/appliance/one_screen_branch.h"
#include "tests/ble/fakes/fake_clock.h"
#include "tests/config/test_support.h"
#include "tests/media/fakes/fake_media.h"
#include "tests/support/manual_event_loop.h"
#include "tests/support/turn_by_turn.h"

namespace branchcast {
namespace {

void write_png(const std::string& path, uint8_t r, uint8_t g, uint8_t b) {
  RgbaImage img;
  img.width = 160;
  img.height = 90;
  img.pixels.resize(160 * 90 * 4);
  for (size_t i = 0; i < img.pixels.size(); i += 4) {
    img.pixels[i] = r;
    img.pixels[i + 1] = g;
    img.pixels[i + 2] = b;
    img.pixels[i + 3] = 255;
  }
  ASSERT_TRUE(gst_write_png(img, path).ok());
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string f; std::getline(ss, f, '\t');) out.push_back(f);
  return out;
}

// Real-speed wall time that reads `start` the first time it is asked (the loop's start, once the
// screens are open, however long that took on a loaded machine), and runs on from there.
class StartsWhenAskedClock final : public Clock {
 public:
  explicit StartsWhenAskedClock(TimePoint start) : start_(start) {}
  TimePoint now() const override {
    std::call_once(once_, [this] { real0_ = std::chrono::steady_clock::now(); });
    return start_ + std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - real0_);
  }
  MonoTime monotonic() const override { return system_.monotonic(); }

 private:
  TimePoint start_;
  SystemClock system_;
  mutable std::once_flag once_;
  mutable std::chrono::steady_clock::time_point real0_;
};

struct Played {
  std::string rule, kind, item;
  TimePoint start{};
  double seconds = 0;
  double late_ms = 0;
};

// The branch: one screen, two file: feeds, a 10:00 rule (see the file comment).
void write_branch(const testing::TempDir& t) {
  t.write("appliance.yaml", test_support::one_screen_branch_yaml(R"(feeds:
  - id: events
    kind: ical
    url: file:events.ics
    refresh: 15m
  - id: arrivals
    kind: rss
    url: file:arrivals.xml
    refresh: 1h
health:
  listen: 127.0.0.1:)" + std::to_string(test_support::free_loopback_port()) + "\n"));
  t.write("playlist.yaml", R"(transition: { kind: cut }
default:
  - image: red.png
    duration: 2s
  - text: "Welcome to the branch"
    duration: 1s
rules:
  - name: Morning
    when: { time: "10:00-23:00" }
    items:
      - events: { feed: events, next: 2 }
        duration: 1s
      - recommended: { count: 2 }
        duration: 1s
      - image: green.png
        duration: 2s
)");
  t.write("events.ics", R"(BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:talk@test
DTSTAMP:20260101T000000Z
DTSTART:20260302T140000Z
DTEND:20260302T150000Z
SUMMARY:Author talk
END:VEVENT
BEGIN:VEVENT
UID:crafts@test
DTSTAMP:20260101T000000Z
DTSTART:20260303T100000Z
DTEND:20260303T110000Z
SUMMARY:Crafts
END:VEVENT
END:VCALENDAR
)");
  t.write("arrivals.xml", R"(<?xml version="1.0"?>
<rss version="2.0"><channel><title>New</title>
<item><title>The Raven Black</title><guid>isbn:1</guid><category>crime</category><pubDate>Mon, 02 Feb 2026 09:00:00 +0000</pubDate></item>
<item><title>Local History</title><guid>isbn:2</guid><category>history</category><pubDate>Tue, 10 Feb 2026 09:00:00 +0000</pubDate></item>
</channel></rss>
)");
  write_png(t / "red.png", 220, 0, 0);
  write_png(t / "green.png", 0, 200, 0);
}

std::string describe(const std::vector<Played>& played, const TimeZone& zone) {
  std::string out;
  for (const auto& p : played)
    out += zone.format_iso(p.start) + " " + p.rule + " " + p.kind + " " + p.item + " " + std::to_string(p.seconds) +
           " late " + std::to_string(p.late_ms) + "\n";
  return out;
}

// `simulate --from <first start> --to <last start + 1 ms>`, one row of tab-separated fields a line.
std::vector<std::vector<std::string>> simulate(const testing::TempDir& t, const std::vector<Played>& played,
                                               std::string& text) {
  const TimeZone utc = TimeZone::utc();
  test_support::Cli cli;
  EXPECT_EQ(cli.run({"simulate", "--config", t / "appliance.yaml", "--screen", "hall", "--from",
                     utc.format_iso(played.front().start), "--to", utc.format_iso(played.back().start + Duration(1))}),
            0)
      << cli.err.str();
  text = cli.out.str();
  std::vector<std::vector<std::string>> lines;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) lines.push_back(split_tabs(line));
  return lines;
}

// The Appliance and the screen on a hand-turned loop and a fake clock (tests/support/
// turn_by_turn.h, as tests/appliance/appliance_test.cpp drives them), with the real curl client:
// each turn runs what was posted, then the real RunLoop's turn; the clock then moves to when the
// loop asked to wake.
class SimulatedRun {
 public:
  SimulatedRun(const testing::TempDir& t, ApplianceSettings settings, TimePoint t0) : settings_(std::move(settings)) {
    clock_.set(t0);
    auto db = Database::open(":memory:");
    EXPECT_TRUE(db.ok());
    db_ = std::move(*db);
    EXPECT_TRUE(prepare_state_schema(*db_).ok());
    player_.files[(t / "red.png")] = {fakes::Rgb{220, 0, 0}};
    player_.files[(t / "green.png")] = {fakes::Rgb{0, 200, 0}};
    http_ = make_curl_http_client();
    DaemonOptions options;
    options.system_root = t / "root";
    options.kernel_clock_state = false;
    options.require_synced_clock = false;
    options.watch_config = false;
    options.state_dir = t / "state";
    StateDatabaseStatus status;
    status.path = ":memory:";
    appliance_ = std::make_unique<Appliance>(settings_, clock_, log_, options,
                                             AppliancePorts{loop_, *db_, status, http_.get(), {}, {}, {}});
    auto inputs = schedule_inputs_for_screen(settings_, "hall");
    EXPECT_TRUE(inputs.ok());
    const TransitionSettings transition = inputs->playlist.transition;
    run_ = std::make_unique<testing::TurnByTurn>(
        clock_, loop_, log_, *appliance_,
        testing::TurnByTurnScreen{ScreenRunnerOptions{"hall", transition, "", false}, std::move(*inputs), player_,
                                  cards_, display_});
    run_->runner().on_record = [this](const PlayRecord& r) { records_.push_back(r); };
  }
  ~SimulatedRun() {
    loop_.stop();
    appliance_.reset();
  }

  void turn() { run_->turn(); }
  void run_until(TimePoint end) { run_->run_until(end); }
  bool settle(const std::function<bool()>& done) { return run_->settle(done); }
  // The items played, as proof of play has them (the one on screen closed at `end`).
  std::vector<Played> played() {
    run_->runner().finish(clock_.monotonic());
    std::vector<Played> out;
    for (const PlayRecord& r : records_) out.push_back({r.rule, r.kind, r.item, r.start, r.seconds_shown, r.late_ms});
    return out;
  }

  Appliance& appliance() { return *appliance_; }
  TimePoint now() const { return clock_.now(); }

 private:
  ApplianceSettings settings_;
  testing::FakeClock clock_{TimePoint{}};
  NullLogSink log_;
  testing::ManualEventLoop loop_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<HttpClient> http_;
  fakes::FakePlayer player_;
  fakes::FakeCardRenderer cards_;
  fakes::FakeDisplay display_;
  std::unique_ptr<Appliance> appliance_;
  std::unique_ptr<testing::TurnByTurn> run_;
  std::vector<PlayRecord> records_;
};

TEST(RunSimulate, ProofOfPlayIsTheSimulatedTimelineItemForItem) {
  testing::TempDir t;
  write_branch(t);
  setenv("BRANCHCAST_STATE_DIR", (t / "state").c_str(), 1);  // simulate: no cached feeds, it fetches them
  std::filesystem::create_directories(t / "root/run/systemd/timesync");
  auto loaded = load_appliance(t / "appliance.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.errors.at(0).message;
  const TimeZone utc = TimeZone::utc();
  const TimePoint t0 = *utc.parse_iso("2026-03-02T09:59:52Z");

  SimulatedRun run(t, *loaded.settings, t0);
  run.turn();
  // Both feeds fetched and published, and the recommender's model built from both, while the
  // first item (2 s) is still on: `run`'s feeds arrive then, and `simulate` assumes so.
  ASSERT_TRUE(run.settle([&] {
    const RecommenderModel* m = run.appliance().model();
    return m && m->title_count == 2 && m->items.size() - m->title_count == 2;
  })) << "the feeds and the recommender's model";
  ASSERT_EQ(run.now(), t0);
  run.run_until(t0 + Duration(14'000));
  const std::vector<Played> played = run.played();
  const std::string proof = describe(played, utc);
  ASSERT_GE(played.size(), 8u) << proof;
  EXPECT_EQ(played.front().rule, "default") << proof;  // the rule window opens mid-run
  EXPECT_LE(played.front().start, t0 + Duration(100)) << proof;

  std::string text;
  const auto lines = simulate(t, played, text);
  ASSERT_EQ(lines.size(), played.size()) << text << "run:\n" << proof;
  bool saw_event = false, saw_pick = false, saw_rule = false;
  for (size_t i = 0; i < played.size(); ++i) {
    SCOPED_TRACE("item " + std::to_string(i) + ": " + text + "\nrun:\n" + proof);
    ASSERT_EQ(lines[i].size(), 5u);
    EXPECT_EQ(lines[i][1], played[i].rule);
    EXPECT_EQ(lines[i][2], played[i].kind);
    EXPECT_EQ(lines[i][3], played[i].item);
    if (i + 1 < played.size()) {  // the last one was cut short by the end of the run
      const double simulated = std::stod(lines[i][4].substr(0, lines[i][4].size() - 1));
      EXPECT_NEAR(std::round(played[i].seconds * 10) / 10, simulated, 0.1001);
    }
    saw_event |= played[i].kind == "events";
    saw_pick |= played[i].kind == "recommended";
    saw_rule |= played[i].rule == "Morning";
  }
  EXPECT_TRUE(saw_event && saw_pick && saw_rule);
}

// The real thing once, at real speed on whatever machine runs it: no timing is asserted (a loaded
// machine may present fewer items, or none); every item presented has one snapshot showing it.
TEST(RunSimulate, SmokeARealRunExitsAndSnapshotsEveryItemItPlayed) {
  testing::TempDir t;
  write_branch(t);

  setenv("BRANCHCAST_STATE_DIR", (t / "state").c_str(), 1);
  setenv("SDL_VIDEODRIVER", "offscreen", 1);
  std::filesystem::create_directories(t / "root/run/systemd/timesync");
  DaemonOptions daemon;
  daemon.system_root = t / "root";
  daemon.kernel_clock_state = false;
  daemon.cec_dir = t / "dev";
  daemon.require_synced_clock = false;

  auto loaded = load_appliance(t / "appliance.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.errors.at(0).message;
  const TimeZone utc = TimeZone::utc();
  StartsWhenAskedClock clock(*utc.parse_iso("2026-03-02T09:59:52Z"));
  ScreenLoopOptions options;
  options.run_for = Duration(8'000);
  options.force_offscreen = true;
  options.snapshots_dir = t / "shots";
  NullLogSink log;
  std::ostringstream out, err;
  ASSERT_EQ(run_appliance(*loaded.settings, options, clock, log, out, err, daemon), 0) << err.str();

  std::vector<Played> played;
  {
    auto db = Database::open(t / "state/branchcast.db");
    ASSERT_TRUE(db.ok());
    auto q = (*db)->prepare("SELECT rule, kind, item, start_ms, seconds_shown, late_ms FROM play_log ORDER BY start_ms");
    ASSERT_TRUE(q.ok()) << q.error().message;
    for (;;) {
      auto row = q->step();
      ASSERT_TRUE(row.ok());
      if (!*row) break;
      played.push_back({q->column_text(0), q->column_text(1), q->column_text(2),
                        TimePoint(std::chrono::milliseconds(q->column_int(3))), q->column_double(4), q->column_double(5)});
    }
  }
  const std::string proof = describe(played, utc);
  // Snapshots: one per item, each showing that item (the images are pure colours).
  std::vector<std::filesystem::path> shots;
  for (const auto& e : std::filesystem::directory_iterator(t / "shots")) shots.push_back(e.path());
  std::sort(shots.begin(), shots.end());
  ASSERT_EQ(shots.size(), played.size()) << proof;
  for (size_t i = 0; i < played.size(); ++i) {
    if (played[i].kind != "image") continue;
    auto img = gst_read_image(shots[i].string());
    ASSERT_TRUE(img.ok()) << shots[i];
    const auto p = img->at(80, 45);
    if (played[i].item == "red.png") EXPECT_GT(p.r, 150) << shots[i];
    else EXPECT_GT(p.g, 150) << shots[i];
  }
}

}  // namespace
}  // namespace branchcast
