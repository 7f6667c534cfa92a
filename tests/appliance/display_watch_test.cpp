// Issue 14: a service without a display looks for one with backoff (appliance/display_watch.h).
#include "appliance/display_watch.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace branchcast {
namespace {

Turn at(TimePoint t) { return Turn{t, MonoTime(t.time_since_epoch())}; }

TEST(DisplayWatch, LooksAgainWithBackoffUntilADisplayIsThere) {
  bool connected = false;
  int probes = 0, found = 0;
  const TimePoint t0(Duration(1'000'000));
  DisplayWatch watch([&] { ++probes; return connected; }, t0, [&] { ++found; });
  EXPECT_EQ(watch.next_deadline(t0), t0 + Duration(5'000));
  watch.tick(at(t0 + Duration(4'999)));  // not due: no probe
  EXPECT_EQ(probes, 0);
  std::vector<Duration> waits;
  TimePoint now = t0 + Duration(5'000);
  for (int i = 0; i < 8; ++i) {
    watch.tick(at(now));
    waits.push_back(watch.next_deadline(now) - now);
    now = watch.next_deadline(now);
  }
  EXPECT_EQ(waits, (std::vector<Duration>{Duration(10'000), Duration(20'000), Duration(40'000), Duration(80'000),
                                          Duration(160'000), Duration(300'000), Duration(300'000), Duration(300'000)}));
  EXPECT_EQ(found, 0);
  connected = true;  // a monitor plugged in
  watch.tick(at(now));
  EXPECT_EQ(probes, 9);
  EXPECT_EQ(found, 1);
  EXPECT_TRUE(watch.found());
  EXPECT_EQ(watch.next_deadline(now), TimePoint::max());  // done: the run starts again on it
  watch.tick(at(now + Duration(600'000)));
  EXPECT_EQ(probes, 9);
  EXPECT_EQ(found, 1);
}

TEST(DisplayWatch, AClockStepKeepsTheWaitLeft) {
  int probes = 0;
  const TimePoint t0(Duration(50'000'000'000));
  DisplayWatch watch([&] { ++probes; return false; }, t0, [] {});
  const Duration back(-3 * 3'600'000);  // NTP sets the clock 3 h back 2 s after the start
  const TimePoint now = t0 + Duration(2'000) + back;
  watch.clock_stepped(back, at(now));
  EXPECT_EQ(watch.next_deadline(now), now + Duration(3'000));  // still 3 s away, not 3 h 3 s
  watch.tick(at(now + Duration(3'000)));
  EXPECT_EQ(probes, 1);
}

TEST(DisplayWatch, AConnectorReportingConnectedIsADisplay) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "drm-class";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "card0-HDMI-A-1");
  std::filesystem::create_directories(dir / "card0");  // the card itself has no status
  std::ofstream(dir / "card0-HDMI-A-1/status") << "disconnected\n";
  EXPECT_FALSE(display_connected(dir.string()));
  std::ofstream(dir / "card0-HDMI-A-1/status") << "connected\n";
  EXPECT_TRUE(display_connected(dir.string()));
  EXPECT_FALSE(display_connected((dir / "missing").string()));
}

}  // namespace
}  // namespace branchcast
