#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "services/cec_device.h"
#include "services/cec_power.h"

namespace branchcast {
namespace {

using namespace std::chrono_literals;
using Step = TvPowerController::Step;

std::vector<uint8_t> bytes(const CecFrame& f) { return {f.bytes.begin(), f.bytes.begin() + f.len}; }
TimePoint at(int64_t s) { return TimePoint{std::chrono::seconds{s}}; }

TEST(CecFrames, AsCecCtlSendsThem) {
  // Playback device 1 (logical address 4) to the TV (0).
  EXPECT_EQ(bytes(cec_image_view_on(4)), (std::vector<uint8_t>{0x40, 0x04}));
  EXPECT_EQ(bytes(cec_standby(4)), (std::vector<uint8_t>{0x40, 0x36}));
  EXPECT_EQ(bytes(cec_standby(4, kCecBroadcast)), (std::vector<uint8_t>{0x4f, 0x36}));
  EXPECT_EQ(bytes(cec_active_source(4, 0x1000)), (std::vector<uint8_t>{0x4f, 0x82, 0x10, 0x00}));
  EXPECT_EQ(bytes(cec_give_device_power_status(4)), (std::vector<uint8_t>{0x40, 0x8f}));
}

TEST(CecFrames, ReportPowerStatus) {
  CecFrame f;
  f.bytes = {0x04, 0x90, 0x01};
  f.len = 3;
  EXPECT_EQ(parse_report_power_status(f), CecPowerStatus::kStandby);
  f.bytes[2] = 0x00;
  EXPECT_EQ(parse_report_power_status(f), CecPowerStatus::kOn);
  f.bytes[2] = 0x07;
  EXPECT_FALSE(parse_report_power_status(f).has_value());
  f.bytes[1] = 0x36;
  EXPECT_FALSE(parse_report_power_status(f).has_value());
  f.len = 2;
  EXPECT_FALSE(parse_report_power_status(f).has_value());
}

TEST(TvPower, ObeyingTvIsVerified) {
  TvPowerController c(true);
  auto t = at(1'800'000'000);
  c.set_wanted(false, t);  // closing time
  EXPECT_TRUE(c.render_black());
  EXPECT_EQ(c.next_deadline(), t);
  EXPECT_EQ(c.tick(t), Step::kStandby);
  c.on_transmit(true, t);
  EXPECT_EQ(c.next_deadline(), t + 15s);
  EXPECT_EQ(c.tick(t + 14s), Step::kNone);
  EXPECT_EQ(c.tick(t + 15s), Step::kQueryStatus);
  c.on_power_status(CecPowerStatus::kStandby, t + 15s);
  EXPECT_EQ(c.tv_obeyed(), true);
  EXPECT_EQ(c.next_deadline(), TimePoint::max());
  c.set_wanted(false, t + 1h);  // unchanged: nothing to do
  EXPECT_EQ(c.next_deadline(), TimePoint::max());
  c.set_wanted(true, t + 12h);
  EXPECT_FALSE(c.render_black());
  EXPECT_EQ(c.tick(t + 12h), Step::kPowerOn);
}

TEST(TvPower, DisobeyingTvIsRetriedThenReported) {
  TvPowerController c(true);
  auto t = at(1'800'000'000);
  c.set_wanted(false, t);
  EXPECT_EQ(c.tick(t), Step::kStandby);
  c.on_transmit(true, t);
  EXPECT_EQ(c.tick(t + 15s), Step::kQueryStatus);
  c.on_power_status(CecPowerStatus::kOn, t + 15s);  // the TV ignored <Standby>
  EXPECT_EQ(c.tv_obeyed(), false);
  EXPECT_EQ(c.problem(), "the TV reports on");
  EXPECT_TRUE(c.render_black());  // fallback: at least the picture is black
  EXPECT_EQ(c.next_deadline(), t + 75s);
  EXPECT_EQ(c.tick(t + 75s), Step::kStandby);
  c.on_transmit(false, t + 75s);  // no ack
  EXPECT_EQ(c.problem(), "the TV did not acknowledge the command");
  EXPECT_EQ(c.tick(t + 135s), Step::kStandby);
  c.on_transmit(false, t + 135s);
  EXPECT_EQ(c.next_deadline(), TimePoint::max());  // gave up after 3 attempts
  EXPECT_EQ(c.tv_obeyed(), false);
}

TEST(TvPower, AClockStepBackKeepsTheWaitToTheCheck) {
  TvPowerController c(true);
  auto t = at(1'800'000'000);
  c.set_wanted(false, t);
  EXPECT_EQ(c.tick(t), Step::kStandby);
  c.on_transmit(true, t);
  c.clock_stepped(-3h);  // right after the command: its check is still 15 s away
  EXPECT_EQ(c.next_deadline(), t + 15s - 3h);
  EXPECT_EQ(c.tick(t + 15s - 3h), Step::kQueryStatus);
  c.on_power_status(CecPowerStatus::kStandby, t + 15s - 3h);
  EXPECT_EQ(c.tv_obeyed(), true);
  c.clock_stepped(-3h);  // nothing pending: nothing to move
  EXPECT_EQ(c.next_deadline(), TimePoint::max());
}

TEST(TvPower, NoAnswerToThePowerQueryIsDisobedience) {
  TvPowerController c(true);
  auto t = at(1'800'000'000);
  c.set_wanted(true, t);
  EXPECT_EQ(c.tick(t), Step::kPowerOn);
  c.on_transmit(true, t);
  EXPECT_EQ(c.tick(t + 15s), Step::kQueryStatus);
  c.on_power_status(std::nullopt, t + 15s);
  EXPECT_EQ(c.tv_obeyed(), false);
}

TEST(TvPower, WithoutCecOnlyTheBlackFallback) {
  TvPowerController c(false);
  auto t = at(1'800'000'000);
  c.set_wanted(false, t);
  EXPECT_TRUE(c.render_black());
  EXPECT_EQ(c.next_deadline(), TimePoint::max());
  EXPECT_EQ(c.tick(t), Step::kNone);
  EXPECT_FALSE(c.tv_obeyed().has_value());
}

TEST(CecDevice, DegradesCleanlyWithoutDevices) {
  auto root = std::filesystem::temp_directory_path() / ("bc-cec-" + std::to_string(::getpid()));
  std::filesystem::create_directories(root / "dev");
  auto none = CecDevice::open("", root.string());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no HDMI-CEC device"), std::string::npos);
  std::ofstream(root / "dev/cec0") << "not a device";
  auto bogus = CecDevice::open("", root.string());
  ASSERT_FALSE(bogus.ok());
  EXPECT_NE(bogus.error().message.find("not a CEC adapter"), std::string::npos);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace branchcast
