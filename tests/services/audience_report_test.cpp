// The audience report over a real SQLite file: presence rows written by the BLE component's
// PresenceRepository, play_log as the media branch creates it (not in main yet; docs/services.md).
#include "services/audience_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "appliance/cli.h"
#include "common/time_zone.h"
#include "store/audience_repository.h"
#include "store/play_log_repository.h"
#include "store/presence_repository.h"

namespace branchcast {
namespace {

using namespace std::chrono_literals;

TimePoint at(int64_t s) { return TimePoint{std::chrono::seconds{s}}; }
const TimePoint kT0 = at(1'800'000'000);

class AudienceDb : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("bc-audience-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    auto db = Database::open((dir_ / "branchcast.db").string());
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void play(const std::string& screen, const std::string& item, TimePoint start, double seconds) {
    auto repo = PlayLogRepository::open(*db_);
    ASSERT_TRUE(repo.ok());
    PlayRecord r;
    r.screen = screen;
    r.rule = "default";
    r.kind = "image";
    r.item = item;
    r.start = start;
    r.seconds_shown = seconds;
    ASSERT_TRUE(repo->add(r).ok());
  }
  void presence(const std::string& screen, TimePoint start, Duration len, int devices) {
    auto repo = PresenceRepository::open(*db_);
    ASSERT_TRUE(repo.ok());
    ASSERT_TRUE(repo->record({start, start + len, screen, devices, devices, 1}).ok());
  }
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(AudienceDb, MissingTablesMeanNothingRecorded) {
  AudienceRepository repo(*db_);
  auto p = repo.plays(kT0, kT0 + 1h);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_TRUE(p->empty());
  EXPECT_TRUE(repo.presence(kT0, kT0 + 1h)->empty());
  EXPECT_EQ(format_audience_csv({}, 3), "screen,item,kind,plays,seconds,devices_avg,devices_peak\n");
}

TEST_F(AudienceDb, JoinsPlaysWithOverlappingPresence) {
  // 15-minute presence periods on the entrance screen: 2, then 8 devices.
  presence("entrance", kT0, 15min, 2);
  presence("entrance", kT0 + 15min, 15min, 8);
  presence("lobby", kT0, 30min, 50);  // another screen: never joined with entrance plays
  play("entrance", "content/welcome.png", kT0 + 1min, 10);
  play("entrance", "content/welcome.png", kT0 + 20min, 10);
  play("entrance", "content/storytime.webm", kT0 + 14min + 55s, 10);  // 5 s in each period
  play("entrance", "content/late.png", kT0 + 40min, 10);              // no presence data
  play("entrance", "content/outside.png", kT0 + 2h, 10);              // outside --to

  AudienceRepository repo(*db_);
  auto plays = repo.plays(kT0, kT0 + 1h);
  auto near = repo.presence(kT0, kT0 + 25h);
  ASSERT_TRUE(plays.ok() && near.ok());
  EXPECT_EQ(plays->size(), 4u);
  auto rows = audience_report(*plays, *near);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].item, "content/welcome.png");
  EXPECT_EQ(rows[0].plays, 2);
  EXPECT_DOUBLE_EQ(rows[0].seconds, 20);
  EXPECT_DOUBLE_EQ(*rows[0].devices_avg, 5.0);  // (2*10 + 8*10) / 20
  EXPECT_EQ(*rows[0].devices_peak, 8);
  EXPECT_EQ(rows[1].item, "content/late.png");
  EXPECT_FALSE(rows[1].devices_avg.has_value());
  EXPECT_EQ(rows[2].item, "content/storytime.webm");
  EXPECT_DOUBLE_EQ(*rows[2].devices_avg, 5.0);  // (2*5 + 8*5) / 10

  EXPECT_EQ(format_audience_csv(rows, 3),
            "screen,item,kind,plays,seconds,devices_avg,devices_peak\n"
            "entrance,content/welcome.png,image,2,20.0,5.0,8\n"
            "entrance,content/late.png,image,1,10.0,-,-\n"
            "entrance,content/storytime.webm,image,1,10.0,5.0,8\n");
  // min_reported suppression: below 6 shows as <6.
  EXPECT_NE(format_audience_csv(rows, 6).find("entrance,content/welcome.png,image,2,20.0,<6,8\n"), std::string::npos);
  EXPECT_NE(format_audience_csv(rows, 9).find(",<9,<9\n"), std::string::npos);
}

TEST_F(AudienceDb, ApplianceWidePresenceCountsForEveryScreen) {
  presence("*", kT0, 15min, 4);
  play("lobby", "content/a.png", kT0 + 1min, 10);
  AudienceRepository repo(*db_);
  auto rows = audience_report(*repo.plays(kT0, kT0 + 1h), *repo.presence(kT0, kT0 + 1h));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(*rows[0].devices_avg, 4.0);
}

TEST_F(AudienceDb, CliPrintsCsvWithTheConfiguredSuppression) {
  presence("entrance", kT0, 15min, 2);
  play("entrance", "content/a.png", kT0 + 1min, 10);
  std::filesystem::create_directories(dir_ / "cfg/playlists");
  std::filesystem::create_directories(dir_ / "cfg/content");
  std::ofstream(dir_ / "cfg/content/a.png") << "x";
  std::ofstream(dir_ / "cfg/appliance.yaml")
      << "branch:\n  id: central\n  name: Central\n  timezone: UTC\n"
         "screens:\n  - id: entrance\n    output: offscreen\n    playlist: playlists/entrance.yaml\n"
         "presence:\n  enabled: true\n  min_reported: 3\n";
  std::ofstream(dir_ / "cfg/playlists/entrance.yaml") << "default:\n  - image: ../content/a.png\n    duration: 10s\n";
  ::setenv("BRANCHCAST_STATE_DIR", dir_.c_str(), 1);
  std::ostringstream out, err;
  SystemClock clock;
  NullLogSink log;
  CommandEnv env{out, err, log, clock};
  std::string from = TimeZone::utc().format_iso(kT0), to = TimeZone::utc().format_iso(kT0 + 1h);
  int rc = run_cli({"report", "audience", "--config", (dir_ / "cfg/appliance.yaml").string(), "--from", from,
                    "--to", to, "--csv"}, env);
  ::unsetenv("BRANCHCAST_STATE_DIR");
  ASSERT_EQ(rc, 0) << err.str();
  EXPECT_EQ(out.str(),
            "screen,item,kind,plays,seconds,devices_avg,devices_peak\n"
            "entrance,content/a.png,image,1,10.0,<3,<3\n");
}

TEST(AudienceFormat, CsvQuotingAndTable) {
  AudienceRow r{"entrance", "text", "Closing, \"soon\"", 3, 60, 12.25, 20};
  EXPECT_EQ(format_audience_csv({r}, 3),
            "screen,item,kind,plays,seconds,devices_avg,devices_peak\n"
            "entrance,\"Closing, \"\"soon\"\"\",text,3,60.0,12.2,20\n");
  auto table = format_audience_table({r}, 3);
  EXPECT_EQ(table.substr(0, table.find('\n')), "screen    item             kind  plays  seconds  devices_avg  devices_peak");
}

TEST(AudienceCli, UsageErrors) {
  std::ostringstream out, err;
  SystemClock clock;
  NullLogSink log;
  CommandEnv env{out, err, log, clock};
  EXPECT_EQ(run_cli({"report", "--config", "c.yaml", "--from", "2026-03-02", "--to", "2026-03-03"}, env), 2);
  EXPECT_EQ(run_cli({"report", "audience", "--config", "c.yaml"}, env), 2);
  EXPECT_EQ(run_cli({"report", "audience", "--config", "/nonexistent.yaml", "--from", "2026-03-02", "--to", "2026-03-03"}, env), 1);
}

}  // namespace
}  // namespace branchcast
