// Issue 14: a service without a display looks for one with backoff (appliance/display_watch.h).
#include "appliance/display_watch.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace branchcast {
namespace {

TEST(DisplayWatch, LooksAgainWithBackoffUntilADisplayIsThere) {
  bool connected = false;
  int probes = 0;
  const MonoTime m0(Duration(1'000'000));
  DisplayWatch watch([&] { ++probes; return connected; }, m0);
  EXPECT_EQ(watch.next_deadline(), m0 + Duration(5'000));
  EXPECT_FALSE(watch.tick(m0 + Duration(4'999)));  // not due: no probe
  EXPECT_EQ(probes, 0);
  std::vector<Duration> waits;
  MonoTime now = m0 + Duration(5'000);
  for (int i = 0; i < 8; ++i) {
    EXPECT_FALSE(watch.tick(now));
    waits.push_back(watch.next_deadline() - now);
    now = watch.next_deadline();
  }
  EXPECT_EQ(waits, (std::vector<Duration>{Duration(10'000), Duration(20'000), Duration(40'000), Duration(80'000),
                                          Duration(160'000), Duration(300'000), Duration(300'000), Duration(300'000)}));
  connected = true;  // a monitor plugged in
  EXPECT_TRUE(watch.tick(now));
  EXPECT_EQ(probes, 9);
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
