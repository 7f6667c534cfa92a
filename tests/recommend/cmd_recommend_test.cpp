// `branchcast recommend` end to end: a branch folder on disk, the real config loader and (when
// built in) the real feed parsers.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <unistd.h>

#include "appliance/cli.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

class RecommendCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = fs::path(tmp ? tmp : fs::temp_directory_path().string()) / ("recommend-cli-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    write(dir_ / "playlists/p.yaml", "default:\n  - text: \"Welcome\"\n    duration: 10s\n");
    write(dir_ / "feeds/events.ics",
          "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
          "BEGIN:VEVENT\r\nUID:talk@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261202T180000Z\r\n"
          "DTEND:20261202T190000Z\r\nSUMMARY:Meet the author\r\nLOCATION:Room B\r\nCATEGORIES:author,crime\r\n"
          "END:VEVENT\r\n"
          "BEGIN:VEVENT\r\nUID:story@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261204T100000Z\r\n"
          "DTEND:20261204T110000Z\r\nSUMMARY:Storytime\r\nCATEGORIES:storytime,children\r\nEND:VEVENT\r\n"
          "BEGIN:VEVENT\r\nUID:old@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261101T180000Z\r\n"
          "DTEND:20261101T190000Z\r\nSUMMARY:Long gone\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    write(dir_ / "patrons.yaml",
          "- id: p-4821\n  key: 7b0c1e5d9a3f42e1b6c8d0f2a4e6c8b0\n  epoch: 1767225600\n  rotation: 10\n"
          "  notify: ntfy://ntfy.example.org/p-4821-3f9a\n"
          "  interests: { authors: [\"Ann Cleeves\"], subjects: [crime], ages: adult }\n");
    write(dir_ / "appliance.yaml",
          "branch:\n  id: test\n  name: Test\n  timezone: Europe/London\n"
          "screens:\n  - id: entrance\n    playlist: playlists/p.yaml\n"
          "  - id: kids\n    playlist: playlists/p.yaml\n    audience: children\n"
          "feeds:\n  - id: events\n    kind: ical\n    url: file:feeds/events.ics\n"
          "notifications:\n  patrons: file:patrons.yaml\n");
    config_ = (dir_ / "appliance.yaml").string();
  }

  void TearDown() override { fs::remove_all(dir_); }

  int run(std::vector<std::string> argv) {
    out_.str("");
    err_.str("");
    CommandEnv env{out_, err_, log_, clock_};
    argv.insert(argv.begin(), "recommend");
    return run_cli(argv, env);
  }

  fs::path dir_;
  std::string config_;
  std::ostringstream out_, err_;
  SystemClock clock_;
  NullLogSink log_;
};

TEST_F(RecommendCli, ScreenRankingAsJson) {
  ASSERT_EQ(run({"--config", config_, "--screen", "entrance", "--at", "2026-11-30T10:00"}), 0) << err_.str();
  const auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["at"], "2026-11-30T10:00:00+00:00");
  EXPECT_EQ(j["for"], "screen:entrance");
  ASSERT_TRUE(j["items"].is_array());
  ASSERT_EQ(j["items"].size(), 2u);  // the past event is gone
  EXPECT_EQ(j["items"][0]["kind"], "event");
  EXPECT_EQ(j["items"][0]["title"], "Meet the author");
  EXPECT_EQ(j["items"][0]["reasons"][0], "starts in 2 days here");
  EXPECT_GT(j["items"][0]["score"].get<double>(), 0.0);
}

TEST_F(RecommendCli, ChildrensAreaScreenPrefersChildrensEvents) {
  ASSERT_EQ(run({"--config", config_, "--screen", "kids", "--at", "2026-11-30T10:00"}), 0) << err_.str();
  const auto j = nlohmann::json::parse(out_.str());
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["title"], "Storytime");
  EXPECT_EQ(j["items"][0]["reasons"][1], "for children");
  EXPECT_EQ(j["items"][1]["title"], "Meet the author");
}

TEST_F(RecommendCli, PatronIdIsNeverPrinted) {
  ASSERT_EQ(run({"--config", config_, "--patron", "p-4821", "--at", "2026-11-30T10:00"}), 0) << err_.str();
  const auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["for"], "patron");
  EXPECT_EQ(out_.str().find("p-4821"), std::string::npos);
  EXPECT_EQ(err_.str().find("p-4821"), std::string::npos);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["title"], "Meet the author");
  EXPECT_EQ(j["items"][0]["reasons"][1], "about crime, which you follow");
  // A past prompt is excluded (by the event's UID or occurrence id).
  ASSERT_EQ(run({"--config", config_, "--patron", "p-4821", "--at", "2026-11-30T10:00", "--exclude", "talk@test,story@test"}), 0);
  EXPECT_TRUE(nlohmann::json::parse(out_.str())["items"].empty());
  EXPECT_EQ(run({"--config", config_, "--patron", "p-9999", "--at", "2026-11-30T10:00"}), 1);
  EXPECT_EQ(err_.str().find("p-9999"), std::string::npos);
  EXPECT_NE(err_.str().find("no opted-in patron"), std::string::npos);
}

TEST_F(RecommendCli, PatronReasonsNameTheAuthorFromAnAttendee) {
  write(dir_ / "feeds/events.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:knit@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T190000Z\r\n"
        "DTEND:20261201T200000Z\r\nSUMMARY:Knit and natter\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:talk@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T190000Z\r\n"
        "DTEND:20261201T200000Z\r\nSUMMARY:In conversation\r\n"
        "ATTENDEE;ROLE=CHAIR;CN=\"Cleeves, Ann\":mailto:guest@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
  ASSERT_EQ(run({"--config", config_, "--patron", "p-4821", "--at", "2026-11-30T10:00"}), 0) << err_.str();
  const auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["declared"], 2);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["title"], "In conversation");
  EXPECT_EQ(j["items"][0]["reasons"][0], "Ann Cleeves, whom you follow, talks here tomorrow");
  EXPECT_EQ(j["items"][0]["relevance"], 2);
  EXPECT_EQ(j["items"][0]["matched"], nlohmann::json::array({"Ann Cleeves"}));
  EXPECT_EQ(j["items"][1]["title"], "Knit and natter");
  EXPECT_EQ(j["items"][1]["relevance"], 0);
  // A screen's JSON keeps exactly the spec's fields.
  ASSERT_EQ(run({"--config", config_, "--screen", "entrance", "--at", "2026-11-30T10:00"}), 0) << err_.str();
  const auto screen = nlohmann::json::parse(out_.str());
  EXPECT_FALSE(screen.contains("declared"));
  EXPECT_FALSE(screen["items"][0].contains("relevance"));
}

TEST_F(RecommendCli, BadInput) {
  EXPECT_EQ(run({"--config", config_, "--at", "2026-11-30T10:00"}), 2);
  EXPECT_EQ(run({"--config", config_, "--screen", "entrance", "--patron", "p-4821", "--at", "2026-11-30T10:00"}), 2);
  EXPECT_EQ(run({"--config", config_, "--screen", "entrance", "--at", "2026-11-30T10:00", "--count", "0"}), 2);
  EXPECT_EQ(run({"--config", config_, "--screen", "entrance", "--at", "2026-11-30T10:00", "--presence", "x"}), 2);
  EXPECT_EQ(run({"--config", config_, "--screen", "nope", "--at", "2026-11-30T10:00"}), 1);
  EXPECT_NE(err_.str().find("unknown screen 'nope'"), std::string::npos);
  EXPECT_EQ(run({"--config", config_, "--screen", "entrance", "--at", "yesterday"}), 1);
  EXPECT_EQ(run({"--config", (dir_ / "missing.yaml").string(), "--screen", "entrance", "--at", "2026-11-30T10:00"}), 1);
}

}  // namespace
}  // namespace branchcast
