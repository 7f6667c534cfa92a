// The override round trip: `branchcast override` writes the row; the daemon's OverrideWatcher
// picks it up and the scheduler shows it; --clear and expiry end it. Real SQLite files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "appliance/cli.h"
#include "services/override_watcher.h"

namespace branchcast {
namespace {

using namespace std::chrono_literals;

struct FakeClock final : Clock {
  TimePoint t{std::chrono::seconds{1'800'000'000}};
  TimePoint now() const override { return t; }
  MonoTime monotonic() const override { return MonoTime{t.time_since_epoch()}; }
};

class OverrideRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("bc-override-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ::setenv("BRANCHCAST_STATE_DIR", (dir_ / "state").c_str(), 1);
    config_ = (dir_ / "appliance.yaml").string();
    std::ofstream(config_) << "branch: { id: central, name: Central, timezone: UTC }\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int cli(std::vector<std::string> argv) {
    out_.str("");
    err_.str("");
    CommandEnv env{out_, err_, log_, clock_};
    return run_cli(argv, env);
  }

  std::filesystem::path dir_;
  std::string config_;
  FakeClock clock_;
  NullLogSink log_;
  std::ostringstream out_, err_;
};

ScheduleInputs one_image_playlist() {
  ScheduleInputs in;
  PlaylistItem item;
  item.kind = ItemKind::kImage;
  item.path = "content/welcome.png";
  item.duration = Duration{10'000};
  in.playlist.default_items.push_back(item);
  return in;
}

TEST_F(OverrideRoundTrip, CliWritesWatcherDeliversSchedulerShows) {
  ASSERT_EQ(cli({"override", "--config", config_, "--text", "Fire drill at 11:00", "--for", "1h"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("until"), std::string::npos);

  auto db = Database::open((dir_ / "state" / "branchcast.db").string());
  ASSERT_TRUE(db.ok()) << db.error().to_string();
  auto repo = OverrideRepository::open(**db);
  ASSERT_TRUE(repo.ok());
  NullLogSink sink;
  OverrideWatcher watcher(*repo, Logger(sink, "override"));
  TimePoint now = clock_.t + 200ms;
  Scheduler scheduler(one_image_playlist());
  scheduler.start(now);
  auto change = watcher.tick(now);
  ASSERT_TRUE(change.has_value());
  ASSERT_TRUE(change->has_value());
  EXPECT_EQ((*change)->text, "Fire drill at 11:00");
  EXPECT_EQ((*change)->until, clock_.t + 1h);
  scheduler.set_override(*change, now);
  EXPECT_EQ(scheduler.showing().mode, ShowingMode::kOverride);
  EXPECT_EQ(scheduler.showing().text, "Fire drill at 11:00");

  // Nothing new until the next poll (rare: the command pokes the daemon), and no change reported
  // when nothing changed.
  EXPECT_EQ(watcher.next_deadline(), now + OverrideWatcher::kDefaultPoll);
  EXPECT_FALSE(watcher.tick(now + 1s).has_value());
  EXPECT_FALSE(watcher.tick(now + OverrideWatcher::kDefaultPoll).has_value());

  // The command pokes (services/override_poke.h): the daemon's watcher reads at once.
  ASSERT_EQ(cli({"override", "--config", config_, "--clear"}), 0) << err_.str();
  EXPECT_TRUE(std::filesystem::exists(dir_ / "state" / "pokes" / "override"));
  watcher.poll_now();
  EXPECT_LE(watcher.next_deadline(), now);
  auto cleared = watcher.tick(now + 11s);
  ASSERT_TRUE(cleared.has_value());
  EXPECT_FALSE(cleared->has_value());
  scheduler.set_override(*cleared, now + 11s);
  EXPECT_EQ(scheduler.showing().mode, ShowingMode::kItem);
}

TEST_F(OverrideRoundTrip, ExpiredOverrideIsNotActive) {
  ASSERT_EQ(cli({"override", "--config", config_, "--text", "Closing early", "--for", "10m"}), 0);
  auto db = Database::open((dir_ / "state" / "branchcast.db").string());
  ASSERT_TRUE(db.ok());
  auto repo = OverrideRepository::open(**db);
  ASSERT_TRUE(repo.ok());
  auto before = repo->active(clock_.t + 9min);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->has_value());
  auto after = repo->active(clock_.t + 10min);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->has_value());
  EXPECT_EQ(*repo->revision(), 1);
}

TEST_F(OverrideRoundTrip, WithoutForLastsUntilCleared) {
  ASSERT_EQ(cli({"override", "--config", config_, "--text", "Library closed today"}), 0);
  auto db = Database::open((dir_ / "state" / "branchcast.db").string());
  auto repo = OverrideRepository::open(**db);
  auto a = repo->active(clock_.t + 24h * 30);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->has_value());
  EXPECT_FALSE((*a)->until.has_value());
}

TEST_F(OverrideRoundTrip, BadInputExitCodes) {
  EXPECT_EQ(cli({"override", "--text", "x"}), 2);                                 // no --config
  EXPECT_EQ(cli({"override", "--config", config_}), 2);                           // neither
  EXPECT_EQ(cli({"override", "--config", config_, "--text", "x", "--clear"}), 2);  // both
  EXPECT_EQ(cli({"override", "--config", config_, "--text", "   "}), 1);
  EXPECT_EQ(cli({"override", "--config", config_, "--text", "x", "--for", "soon"}), 1);
  EXPECT_EQ(cli({"override", "--config", config_, "--text", std::string(600, 'a')}), 1);
  EXPECT_EQ(cli({"override", "--config", (dir_ / "missing.yaml").string(), "--text", "x"}), 1);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "state" / "branchcast.db"));
}

}  // namespace
}  // namespace branchcast
