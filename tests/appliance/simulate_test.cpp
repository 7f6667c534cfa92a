// `branchcast simulate` end to end through the CLI: the example line of formats.md section 3 on the
// spec's own example files (with a 12 s storytime clip made by GStreamer), and golden timelines of
// the demo branch.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/appliance/cli_harness.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

using testing::TempDir;

struct CliRun {
  int status = 0;
  std::string out, err;
};

CliRun run(std::vector<std::string> argv) {
  test_support::Cli cli;
  CliRun r;
  r.status = cli.run(std::move(argv));
  r.out = cli.out.str();
  r.err = cli.err.str();
  return r;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void make_clip(const std::string& path, int frames) {
  std::string cmd = "gst-launch-1.0 -q videotestsrc num-buffers=" + std::to_string(frames) +
                    " ! video/x-raw,width=64,height=36,framerate=30/1 ! vp8enc deadline=1 ! webmmux ! filesink location=" +
                    path + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

void make_png(const std::string& path) {
  std::string cmd = "gst-launch-1.0 -q videotestsrc num-buffers=1 ! video/x-raw,width=64,height=36 ! pngenc ! filesink location=" +
                    path + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

TEST(Simulate, SpecExampleLineOnTheSpecExampleFiles) {
  TempDir t;
  t.write("appliance.yaml", testing::formats_yaml_block("## 1."));
  t.write("playlists/entrance.yaml", testing::formats_yaml_block("## 2."));
  t.write("playlists/children.yaml", testing::formats_yaml_block("## 2."));
  t.write("patrons.yaml", testing::formats_yaml_block("## 5."));
  t.write("feeds/new-arrivals.xml", "<rss version=\"2.0\"><channel/></rss>\n");
  t.write("playlists/content/.keep", "");
  make_clip(t / "playlists/content/storytime.webm", 360);  // 12 s at 30 fps
  make_png(t / "playlists/content/welcome.png");
  make_png(t / "playlists/content/whats-on.png");

  auto r = run({"simulate", "--config", t / "appliance.yaml", "--screen", "entrance", "--from",
                "2026-03-02T09:00", "--to", "2026-03-02T09:00:30"});
  ASSERT_EQ(r.status, 0) << r.err;
  // formats.md section 3, verbatim (the events item has no data offline, so the video loops).
  EXPECT_EQ(r.out,
            "2026-03-02T09:00:00+00:00\tStorytime mornings\tvideo\tcontent/storytime.webm\t12.0s\n"
            "2026-03-02T09:00:12+00:00\tStorytime mornings\tvideo\tcontent/storytime.webm\t12.0s\n"
            "2026-03-02T09:00:24+00:00\tStorytime mornings\tvideo\tcontent/storytime.webm\t12.0s\n");

  // The closing-soon interrupt (`before_close: 15m`) cuts in at 19:45 on a Monday (closes 20:00)
  // and at 16:45 on a Saturday (closes 17:00).
  r = run({"simulate", "--config", t / "appliance.yaml", "--screen", "entrance", "--from",
           "2026-03-02T19:44:55", "--to", "2026-03-02T19:45:01"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "2026-03-02T19:44:55+00:00\tdefault\timage\tcontent/welcome.png\t5.0s\n"
            "2026-03-02T19:45:00+00:00\tClosing soon\ttext\tThe library closes in 15 minutes. Please\t20.0s\n");
  r = run({"simulate", "--config", t / "appliance.yaml", "--screen", "entrance", "--from",
           "2026-03-07T16:44:55", "--to", "2026-03-07T16:45:01"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "2026-03-07T16:44:55+00:00\tdefault\timage\tcontent/welcome.png\t5.0s\n"
            "2026-03-07T16:45:00+00:00\tClosing soon\ttext\tThe library closes in 15 minutes. Please\t20.0s\n");

  // Sunday: closed, and the screen has `power` (15 minutes around opening hours): standby from
  // Saturday 17:15 until Monday 08:45.
  r = run({"simulate", "--config", t / "appliance.yaml", "--screen", "entrance", "--from",
           "2026-03-01T12:00", "--to", "2026-03-01T13:00"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "2026-03-01T12:00:00+00:00\tstandby\tpower\t-\t74700.0s\n");

  // A closure: standby all day, the fourth column names it; the day before has special hours.
  r = run({"simulate", "--config", t / "appliance.yaml", "--screen", "entrance", "--from",
           "2026-12-23T13:00", "--to", "2026-12-24T13:00"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.substr(r.out.find("2026-12-23T13:15")),
            "2026-12-23T13:15:00+00:00\tstandby\tpower\t-\t38700.0s\n"
            "2026-12-24T00:00:00+00:00\tstandby\tpower\tclosed: Christmas\t345600.0s\n");
  // The children's screen keeps fixed times, and stands by all day on a closure day.
  r = run({"simulate", "--config", t / "appliance.yaml", "--screen", "children", "--from",
           "2026-12-25T12:00", "--to", "2026-12-25T13:00"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "2026-12-25T12:00:00+00:00\tstandby\tpower\tclosed: Christmas\t216000.0s\n");
}

// Golden timelines of the demo branch (its media and feeds are built into the build tree).
void expect_golden(const std::string& name, std::vector<std::string> argv) {
  auto r = run(argv);
  ASSERT_EQ(r.status, 0) << r.err;
  std::string golden = std::string(BRANCHCAST_SOURCE_DIR) + "/tests/appliance/golden/" + name;
  if (std::getenv("BRANCHCAST_UPDATE_GOLDEN")) std::ofstream(golden) << r.out;
  EXPECT_EQ(r.out, read_file(golden)) << "golden file " << golden
                                       << " (regenerate with BRANCHCAST_UPDATE_GOLDEN=1 and review)";
}

const std::string kDemo = std::string(BRANCHCAST_BINARY_DIR) + "/demo-branch/appliance.yaml";

TEST(Simulate, DemoEntranceMondayMorning) {
  expect_golden("demo-entrance-monday.txt", {"simulate", "--config", kDemo, "--screen", "entrance", "--from",
                                             "2026-03-02T08:59:30", "--to", "2026-03-02T09:01:30"});
}

TEST(Simulate, DemoEntranceThursdayAuthorCountdown) {
  expect_golden("demo-entrance-thursday.txt", {"simulate", "--config", kDemo, "--screen", "entrance", "--from",
                                               "2026-03-05T18:14:40", "--to", "2026-03-05T18:16:00"});
}

TEST(Simulate, DemoChildrenWeekendStandbyAndCrafts) {
  expect_golden("demo-children-weekend.txt", {"simulate", "--config", kDemo, "--screen", "children", "--from",
                                              "2026-03-07T09:59:40", "--to", "2026-03-07T10:00:40"});
}

// Issue 17: simulate shows what run plays - the recommender's cards once the feeds are in (after
// the first item, as in run), an override given by flag cutting in and out.
TEST(Simulate, RecommendedCardsAndAnOverrideFlag) {
  auto r = run({"simulate", "--config", kDemo, "--screen", "entrance", "--from", "2026-03-02T11:00", "--to",
                "2026-03-02T11:01", "--override", "Fire drill@2026-03-02T11:00:20..2026-03-02T11:00:40"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("2026-03-02T11:00:00+00:00\tdefault\timage\t../content/welcome.png\t10.0s\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\tdefault\ttext\tWelcome to Demo Central Library. Free Wi\t5.0s\n"), std::string::npos)
      << r.out;  // cut short by the override
  EXPECT_NE(r.out.find("2026-03-02T11:00:20+00:00\toverride\ttext\tFire drill\t20.0s\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-03-02T11:00:40+00:00\tPicks for this branch\trecommended\t"), std::string::npos) << r.out;
  r = run({"simulate", "--config", kDemo, "--screen", "entrance", "--from", "2026-03-02T11:00", "--to",
           "2026-03-02T11:01", "--override", "x@soon..later"});
  EXPECT_EQ(r.status, 2) << r.err;
  r = run({"simulate", "--config", kDemo, "--screen", "entrance", "--from", "2026-03-02T11:00", "--to",
           "2026-03-02T11:01", "--presence", "crowded"});
  EXPECT_EQ(r.status, 2) << r.err;
}

TEST(Simulate, BadInputExitsOneWithTheReason) {
  auto r = run({"simulate", "--config", kDemo, "--screen", "nowhere", "--from", "2026-03-02T09:00", "--to",
                "2026-03-02T10:00"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no screen 'nowhere'"), std::string::npos) << r.err;
  r = run({"simulate", "--config", kDemo, "--screen", "entrance", "--from", "yesterday", "--to", "2026-03-02T10:00"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("invalid time 'yesterday'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace branchcast
