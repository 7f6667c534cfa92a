#include "ble/beacon.h"

#include <gtest/gtest.h>

namespace branchcast::ble {
namespace {

BeaconSettings demo_beacon() {
  BeaconSettings b;
  b.enabled = true;
  IBeaconSettings ib;
  ib.uuid = {0x2f, 0x23, 0x44, 0x54, 0xcf, 0x6d, 0x4a, 0x0f, 0xad, 0xf2, 0xf4, 0x91, 0x1b, 0xa9, 0xff, 0xa6};
  ib.major = 1;
  ib.minor = 7;
  b.ibeacon = ib;
  b.eddystone_url = "https://lib.example/ev";
  b.eddystone_tlm = true;
  return b;
}

TEST(BeaconTest, FramesDecodeBackToTheSettings) {
  TlmState tlm;
  tlm.adv_count = 42;
  tlm.uptime = std::chrono::seconds(90);
  const auto plan = beacon_adverts(demo_beacon(), tlm);
  ASSERT_TRUE(plan.warnings.empty());
  ASSERT_EQ(plan.adverts.size(), 3u);
  std::vector<std::string> json;
  for (const auto& a : plan.adverts) {
    auto frames = decode_advert(a.payload());
    ASSERT_TRUE(frames.ok());
    EXPECT_TRUE(is_own_beacon(*frames, demo_beacon()) || a.kind == "eddystone-tlm");
    json.push_back(frames_to_json(*frames));
  }
  EXPECT_EQ(json[0], R"({"frames":[{"type":"ibeacon","uuid":"2f234454-cf6d-4a0f-adf2-f4911ba9ffa6","major":1,"minor":7,"measured_power":-59}]})");
  EXPECT_EQ(json[1], R"({"frames":[{"type":"eddystone-url","tx_power":-18,"url":"https://lib.example/ev"}]})");
  EXPECT_EQ(json[2], R"({"frames":[{"type":"eddystone-tlm","battery_mv":0,"temperature_c":null,"adv_count":42,"uptime_s":90}]})");
}

TEST(BeaconTest, UrlTooLongForEddystoneIsLeftOutWithAWarning) {
  auto b = demo_beacon();
  b.eddystone_url = "https://library.example.org/events";  // formats.md's example: 22 bytes
  const auto plan = beacon_adverts(b, {});
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("17"), std::string::npos);
  ASSERT_EQ(plan.adverts.size(), 2u);
  EXPECT_EQ(plan.adverts[1].kind, "eddystone-tlm");
}

TEST(BeaconTest, RotationGivesEveryFrameItsTurn) {
  EXPECT_EQ(frames_for_step(3, 4, 0), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(frames_for_step(3, 1, 0), (std::vector<size_t>{0}));
  EXPECT_EQ(frames_for_step(3, 1, 1), (std::vector<size_t>{1}));
  EXPECT_EQ(frames_for_step(3, 1, 2), (std::vector<size_t>{2}));
  EXPECT_EQ(frames_for_step(3, 2, 1), (std::vector<size_t>{2, 0}));
  EXPECT_TRUE(frames_for_step(3, 0, 0).empty());
}

TEST(BeaconTest, PrivacyModeIsDeterministicPerSlotAndKey) {
  const auto a = privacy_major_minor("secret", "central", 100);
  EXPECT_EQ(a, privacy_major_minor("secret", "central", 100));
  EXPECT_NE(a, privacy_major_minor("secret", "central", 101));
  EXPECT_NE(a, privacy_major_minor("other", "central", 100));
}

}  // namespace
}  // namespace branchcast::ble
