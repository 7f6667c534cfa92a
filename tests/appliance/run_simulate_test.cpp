// One truth (issue 17): a real `run` (GLib loop, GStreamer, SDL offscreen, SQLite, feeds through
// FeedService from a fresh state folder, the recommender on its worker) plays short images, text,
// event cards and recommended cards, with a rule window opening mid-run; its proof of play must be
// `simulate --from <the run's first item start>` item for item: rule, kind and item identical,
// lengths equal to one decimal (a frame's jitter allowed: the loop presents on a 30 fps grid; items
// presented late on a loaded machine are compared by identity only).
// The feeds load after the start in `run` (fetched by the worker; the state folder has no cache);
// `simulate` models that (they change what plays from the end of the first item on).
//
// The wall clock starts at 09:59:52 when the run first reads it (real speed from there), so the
// 10:00 rule opens 8 s later, a few seconds into the run (start-up takes some). And `run --snapshots` gives every item one picture, showing
// that item (issue 17 item 2), the last one included.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "appliance/appliance_daemon.h"
#include "config/loader.h"
#include "media/gst_player.h"
#include "store/database.h"
#include "tests/appliance/cli_harness.h"
#include "tests/appliance/loopback.h"
#include "tests/config/test_support.h"

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
  int64_t start_ms = 0;
  double seconds = 0;
  double late_ms = 0;
};

TEST(RunSimulate, ProofOfPlayIsTheSimulatedTimelineItemForItem) {
  testing::TempDir t;
  const int port = test_support::free_loopback_port();
  t.write("appliance.yaml", R"(branch:
  id: b
  name: B
  timezone: UTC
screens:
  - id: hall
    output: offscreen
    resolution: 160x90
    playlist: playlist.yaml
feeds:
  - id: events
    kind: ical
    url: file:events.ics
    refresh: 15m
  - id: arrivals
    kind: rss
    url: file:arrivals.xml
    refresh: 1h
health:
  listen: 127.0.0.1:)" + std::to_string(port) + "\n");
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
  options.run_for = Duration(14'000);
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
      played.push_back({q->column_text(0), q->column_text(1), q->column_text(2), q->column_int(3), q->column_double(4),
                        q->column_double(5)});
    }
  }
  std::string proof;
  for (const auto& p : played)
    proof += std::to_string(p.start_ms) + " " + p.rule + " " + p.kind + " " + p.item + " " + std::to_string(p.seconds) +
             " late " + std::to_string(p.late_ms) + "\n";
  ASSERT_GE(played.size(), 6u) << out.str() << proof;
  EXPECT_EQ(played.front().rule, "default") << proof;  // the rule window opens mid-run
  const TimePoint first(std::chrono::milliseconds(played.front().start_ms));
  const TimePoint last(std::chrono::milliseconds(played.back().start_ms));

  test_support::Cli cli;
  ASSERT_EQ(cli.run({"simulate", "--config", t / "appliance.yaml", "--screen", "hall", "--from",
                     utc.format_iso(first), "--to", utc.format_iso(last + Duration(1))}),
            0)
      << cli.err.str();
  std::vector<std::vector<std::string>> lines;
  std::stringstream ss(cli.out.str());
  for (std::string line; std::getline(ss, line);) lines.push_back(split_tabs(line));
  ASSERT_EQ(lines.size(), played.size()) << cli.out.str() << "run:\n" << proof;

  bool saw_event = false, saw_pick = false, saw_rule = false;
  for (size_t i = 0; i < played.size(); ++i) {
    SCOPED_TRACE("item " + std::to_string(i) + ": " + cli.out.str() + "\nrun:\n" + proof);
    ASSERT_EQ(lines[i].size(), 5u);
    EXPECT_EQ(lines[i][1], played[i].rule);
    EXPECT_EQ(lines[i][2], played[i].kind);
    EXPECT_EQ(lines[i][3], played[i].item);
    // Lengths: the last item was cut short by --for; an item presented late (a loaded machine:
    // its first frame waited for the decoder) shortens itself or the one before it on screen.
    if (i + 1 < played.size() && played[i].late_ms < 50 && played[i + 1].late_ms < 50) {
      const double simulated = std::stod(lines[i][4].substr(0, lines[i][4].size() - 1));
      EXPECT_NEAR(std::round(played[i].seconds * 10) / 10, simulated, 0.1001);
    }
    saw_event |= played[i].kind == "events";
    saw_pick |= played[i].kind == "recommended";
    saw_rule |= played[i].rule == "Morning";
  }
  EXPECT_TRUE(saw_event && saw_pick && saw_rule);

  // Snapshots: one per item, each showing that item (the images are pure colours).
  std::vector<std::filesystem::path> shots;
  for (const auto& e : std::filesystem::directory_iterator(t / "shots")) shots.push_back(e.path());
  std::sort(shots.begin(), shots.end());
  ASSERT_EQ(shots.size(), played.size());
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
