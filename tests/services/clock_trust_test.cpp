#include "services/clock_trust.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "services/clock_probe.h"

namespace branchcast {
namespace {

using namespace std::chrono_literals;

TimePoint at(int64_t s) { return TimePoint{std::chrono::seconds{s}}; }

struct Probe {
  bool synced = false;
  int probes = 0;
  std::vector<TimePoint> saved;
  ClockTrust make(std::optional<TimePoint> last_good = std::nullopt) {
    return ClockTrust([this] { ++probes; return synced; },
                      [this](TimePoint t) { saved.push_back(t); return Status{}; }, last_good,
                      Logger(sink, "clock"));
  }
  NullLogSink sink;
};

TEST(ClockTrust, UntrustedUntilSynchronisedThenLatched) {
  Probe p;
  auto trust = p.make();
  auto t0 = at(1'800'000'000);
  EXPECT_FALSE(trust.trusted(t0));
  EXPECT_EQ(trust.next_deadline(), t0 + 5s);
  EXPECT_FALSE(trust.trusted(t0 + 1s));  // not due: no new probe
  EXPECT_EQ(p.probes, 1);
  p.synced = true;
  EXPECT_TRUE(trust.trusted(t0 + 5s));
  ASSERT_EQ(p.saved.size(), 1u);
  EXPECT_EQ(p.saved[0], t0 + 5s);
  p.synced = false;  // timesyncd losing its server later does not undo the sync since boot
  EXPECT_TRUE(trust.trusted(t0 + 1h));
}

TEST(ClockTrust, SavesLastGoodPeriodicallyOnceTrusted) {
  Probe p;
  p.synced = true;
  auto trust = p.make();
  auto t0 = at(1'800'000'000);
  trust.tick(t0);
  EXPECT_EQ(trust.next_deadline(), t0 + 10min);
  trust.tick(t0 + 9min + 59s);
  EXPECT_EQ(p.saved.size(), 1u);
  trust.tick(t0 + 10min);
  ASSERT_EQ(p.saved.size(), 2u);
  EXPECT_EQ(*trust.last_known_good(), t0 + 10min);
}

TEST(ClockTrust, ProbesAgainWhenTheWallClockJumpsBack) {
  Probe p;
  auto trust = p.make();
  auto t0 = at(1'800'000'000);
  EXPECT_FALSE(trust.trusted(t0));
  p.synced = true;
  EXPECT_TRUE(trust.trusted(t0 - 3h));  // set back by hours: not stuck until t0 + 5s
}

TEST(ClockTrust, EstimateNeverBeforeLastKnownGoodWhileUntrusted) {
  Probe p;
  auto trust = p.make(at(1'800'000'000));
  auto boot_clock = at(1'700'000'000);  // restored from an old fake-hwclock
  EXPECT_FALSE(trust.trusted(boot_clock));
  EXPECT_EQ(trust.estimate(boot_clock), at(1'800'000'000));
  EXPECT_EQ(trust.estimate(at(1'900'000'000)), at(1'900'000'000));
}

TEST(ClockTrust, UntrustedInputsPlayTheDefaultAlwaysAwake) {
  ScheduleInputs in;
  PlaylistItem def;
  def.kind = ItemKind::kImage;
  def.path = "content/welcome.png";
  def.duration = 10s;
  in.playlist.default_items.push_back(def);
  PlaylistRule rule;
  rule.name = "Always";
  rule.priority = 10;
  PlaylistItem text;
  text.kind = ItemKind::kText;
  text.text = "rule item";
  text.duration = 10s;
  rule.items.push_back(text);
  in.playlist.rules.push_back(rule);
  BranchSettings closed;
  closed.opening_hours_given = true;  // closed every day
  in.hours = BranchHours(closed);
  in.power = PowerSchedule{TimeOfDay{8 * 60}, TimeOfDay{9 * 60}};
  auto now = at(1'800'000'000);

  Scheduler full(in);
  full.start(now);
  EXPECT_NE(full.showing().rule, "default");

  Scheduler safe(untrusted_clock_inputs(in));
  safe.start(now);
  EXPECT_EQ(safe.showing().mode, ShowingMode::kItem);
  EXPECT_EQ(safe.showing().rule, "default");
  EXPECT_TRUE(safe.awake_at(now));
}

class ClockFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("bc-clock-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
};

TEST_F(ClockFiles, TimesyncdMarkerFile) {
  EXPECT_FALSE(clock_synchronized(root_.string(), false));
  std::filesystem::create_directories(root_ / "run/systemd/timesync");
  std::ofstream(root_ / "run/systemd/timesync/synchronized");
  EXPECT_TRUE(clock_synchronized(root_.string(), false));
}

TEST_F(ClockFiles, LastGoodTimeRoundTripsAtomically) {
  LastGoodTimeFile f((root_ / "clock-last-good").string());
  EXPECT_FALSE(f.load().has_value());
  ASSERT_TRUE(f.save(at(1'800'000'123) + 456ms).ok());
  EXPECT_EQ(f.load(), at(1'800'000'123));
  EXPECT_FALSE(std::filesystem::exists(root_ / "clock-last-good.tmp"));
  std::ofstream(root_ / "clock-last-good") << "garbage";
  EXPECT_FALSE(f.load().has_value());
  LastGoodTimeFile nowhere((root_ / "missing-dir" / "f").string());
  auto s = nowhere.save(at(1));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("cannot create"), std::string::npos);
}

}  // namespace
}  // namespace branchcast
