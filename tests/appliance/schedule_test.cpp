// `branchcast schedule` (issue 17 item 7): the week view's blocks come from the simulated timeline,
// every distinct item gets a thumbnail drawn by preview's code, validate's messages are on the
// page; and the page works in a real browser: Debian's chromium, headless, loads it with no
// console message and its screenshot shows the rule blocks in their colours.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "appliance/schedule_page.h"
#include "media/gst_player.h"
#include "tests/appliance/cli_harness.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

// Two screens: `hall` with a morning rule, `kids` with power hours (standby overnight).
void write_branch(const testing::TempDir& t) {
  t.write("appliance.yaml", R"(branch:
  id: b
  name: Test Branch
  timezone: Europe/London
  opening_hours:
    mon-sat: "09:00-17:00"
    sun: closed
screens:
  - id: hall
    output: offscreen
    resolution: 320x180
    playlist: hall.yaml
  - id: kids
    output: offscreen
    resolution: 320x180
    playlist: kids.yaml
    power: { on: "08:45", off: "17:15" }
)");
  t.write("hall.yaml", R"(default:
  - text: "Welcome to the branch"
    duration: 20m
rules:
  - name: Morning news
    priority: 5
    when: { days: mon-fri, time: "09:00-12:00" }
    items:
      - text: "Coffee morning in the hall"
        duration: 30m
      - text: "New arrivals on the front desk"
        duration: 30m
)");
  t.write("kids.yaml", R"(default:
  - text: "Storytime every Monday"
    duration: 15m
)");
}

TEST(SchedulePage, BlocksMergeConsecutiveItemsOfARuleAndSplitAtMidnight) {
  Showing a;
  a.rule = "default";
  a.start = TimePoint(std::chrono::hours(24 * 20514 + 22));  // 22:00 UTC
  Showing b = a;
  b.start += std::chrono::hours(1);
  Showing s;
  s.mode = ShowingMode::kStandby;
  s.rule = "standby";
  s.start = a.start + std::chrono::hours(3);
  std::vector<TimelineEntry> timeline{{a, std::chrono::hours(1)}, {b, std::chrono::hours(2)}, {s, std::chrono::hours(8)}};
  auto blocks = timeline_blocks(timeline, a.start + std::chrono::hours(6));
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].rule, "default");
  EXPECT_EQ(blocks[0].items, 2u);
  EXPECT_EQ(blocks[0].end - blocks[0].start, std::chrono::hours(3));  // 22:00 to 01:00
  EXPECT_TRUE(blocks[1].standby);
  EXPECT_EQ(blocks[1].note, "power");
  EXPECT_EQ(blocks[1].end, a.start + std::chrono::hours(6));  // cut at `to`

  SchedulePage page;
  page.branch = "B & <C>";
  page.first = local_days(std::chrono::days(20514));
  page.days = 2;
  page.screens.push_back({"hall", blocks, {}});
  std::string html = render_schedule_html(page);
  EXPECT_NE(html.find("B &amp; &lt;C&gt;"), std::string::npos);
  EXPECT_EQ(count(html, "class=\"block\""), 2u);          // default: split at midnight
  EXPECT_EQ(count(html, "class=\"block standby\""), 1u);  // 01:00-04:00 on the second day
  EXPECT_NE(html.find("22:00-24:00 default"), std::string::npos);
  EXPECT_NE(html.find("00:00-01:00 default"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);         // nothing from the network
  EXPECT_NE(rule_colour("default", false), rule_colour("Morning news", false));
}

TEST(Schedule, AWeekOfTwoScreensWithThumbnailsRendersInChromium) {
  testing::TempDir t;
  write_branch(t);
  setenv("BRANCHCAST_STATE_DIR", (t / "state").c_str(), 1);
  setenv("SDL_VIDEODRIVER", "offscreen", 1);
  test_support::Cli cli;
  const std::string out = t / "week";
  ASSERT_EQ(cli.run({"schedule", "--config", t / "appliance.yaml", "--from", "2026-03-02", "--to", "2026-03-08",
                     "--out", out}),
            0)
      << cli.err.str();
  const std::string html = read(out + "/index.html");
  EXPECT_NE(html.find("Screen hall"), std::string::npos);
  EXPECT_NE(html.find("Screen kids"), std::string::npos);
  EXPECT_NE(html.find("Mon 2026-03-02"), std::string::npos);
  EXPECT_NE(html.find("Sun 2026-03-08"), std::string::npos);
  EXPECT_GE(count(html, "09:00-12:00 Morning news"), 5u);  // one block a weekday morning
  EXPECT_GE(count(html, "standby (power)"), 7u);           // kids: every night
  // One thumbnail per distinct item, each a file beside the page.
  EXPECT_EQ(count(html, "<img src=\"thumbs/"), 4u);
  for (int i = 1; i <= 3; ++i) EXPECT_TRUE(std::filesystem::exists(out + "/thumbs/hall-" + std::to_string(i) + ".png"));
  EXPECT_TRUE(std::filesystem::exists(out + "/thumbs/kids-1.png"));

  // The same timeline `simulate` prints: its first rule line on Monday is the 09:00 block.
  ASSERT_EQ(cli.run({"simulate", "--config", t / "appliance.yaml", "--screen", "hall", "--from", "2026-03-02T00:00",
                     "--to", "2026-03-02T12:00"}),
            0);
  EXPECT_NE(cli.out.str().find("2026-03-02T09:00:00+00:00\tMorning news\ttext\tCoffee morning"), std::string::npos)
      << cli.out.str();

  if (std::system("command -v chromium >/dev/null 2>&1") != 0) GTEST_SKIP() << "chromium not installed";
  const std::string shot = t / "shot.png", log = t / "chromium.log";
  const std::string cmd = "timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run "
                          "--user-data-dir=" + (t / "profile") + " --enable-logging=stderr --v=0 "
                          "--window-size=1400,1200 --screenshot=" + shot + " file://" + out + "/index.html >" + log +
                          " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read(log);
  const std::string chromium_log = read(log);
  EXPECT_EQ(chromium_log.find(":CONSOLE"), std::string::npos) << chromium_log;  // no console message at all
  auto image = gst_read_image(shot);
  ASSERT_TRUE(image.ok()) << chromium_log;
  // The blocks are on the screenshot in their rule's colour.
  auto pixels_of = [&](const std::string& hex) {
    const int r = std::stoi(hex.substr(1, 2), nullptr, 16), g = std::stoi(hex.substr(3, 2), nullptr, 16),
              b = std::stoi(hex.substr(5, 2), nullptr, 16);
    size_t n = 0;
    for (int y = 0; y < image->height; ++y)
      for (int x = 0; x < image->width; ++x) {
        auto p = image->at(x, y);
        n += std::abs(p.r - r) <= 2 && std::abs(p.g - g) <= 2 && std::abs(p.b - b) <= 2;
      }
    return n;
  };
  EXPECT_GT(pixels_of(rule_colour("Morning news", false)), 1000u);
  EXPECT_GT(pixels_of(rule_colour("default", false)), 1000u);
}

}  // namespace
}  // namespace branchcast
