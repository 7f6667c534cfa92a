#include "ble/ble_station.h"

#include <gtest/gtest.h>

#include "tests/ble/fakes/fake_radio.h"

namespace branchcast::ble {
namespace {

const TimePoint kT0{std::chrono::minutes(29'460'000)};  // on a quarter hour

ApplianceSettings appliance() {
  ApplianceSettings a;
  a.screens.resize(2);
  a.screens[0].id = "entrance";
  a.screens[1].id = "children";
  a.beacon.enabled = true;
  IBeaconSettings ib;
  ib.uuid.fill(0x22);
  a.beacon.ibeacon = ib;
  a.beacon.eddystone_url = "https://library.example.org/events";  // too long: left out, warned
  a.beacon.eddystone_tlm = true;
  a.presence.enabled = true;
  return a;
}

class CapturingSink final : public LogSink {
 public:
  void write(LogLevel, std::string_view, std::string_view m) override { lines.emplace_back(m); }
  std::vector<std::string> lines;
};

// The radio hears the same phone at `at`; the station ticks when due, as the loop drives it.
void hear_phone(testing::FakeRadio& radio, AddressHasher& hasher, BleStation& station, TimePoint at) {
  RadioSighting r;
  r.device = hasher.hash("phone", at);
  r.rssi = -60;
  r.at = at;
  radio.hear(r);
  if (at >= station.next_deadline(at)) station.tick(Turn{at, {}});
}

TEST(BleStationTest, AdvertisesScansRefreshesTelemetryAndReportsEveryScreen) {
  testing::FakeRadio radio;
  CapturingSink sink;
  std::vector<PresencePeriod> periods;
  BleStation station(appliance(), radio, Logger(sink, "ble"), [&](const PresencePeriod& p) { periods.push_back(p); });
  station.start(kT0);
  ASSERT_EQ(radio.adverts().size(), 2u);  // iBeacon and TLM; the URL does not fit Eddystone-URL
  EXPECT_EQ(radio.adverts()[0].kind, "ibeacon");
  EXPECT_EQ(radio.floor, -90);
  ASSERT_EQ(sink.lines.size(), 1u);
  EXPECT_NE(sink.lines[0].find("17"), std::string::npos);

  AddressHasher hasher(Duration(5 * 60'000));
  for (int s = 0; s <= 15 * 60; s += 10) hear_phone(radio, hasher, station, kT0 + std::chrono::seconds(s));
  // The TLM frame was refreshed (uptime, advert count) every 30 s.
  EXPECT_GE(radio.advertise_calls, 30);
  auto tlm = decode_advert(radio.adverts()[1].payload());
  ASSERT_TRUE(tlm.ok());
  EXPECT_EQ(std::get<EddystoneTlmFrame>((*tlm)[0]).uptime_tenths, 9000u);
  EXPECT_EQ(std::get<EddystoneTlmFrame>((*tlm)[0]).adv_count, 3000u);
  ASSERT_EQ(periods.size(), 2u);
  EXPECT_EQ(periods[0].screen, "entrance");
  EXPECT_EQ(periods[1].screen, "children");
  EXPECT_EQ(periods[0].devices, 1);
  EXPECT_EQ(station.level(kT0 + std::chrono::minutes(15)), PresenceLevel::kSome);
  station.stop();
  EXPECT_FALSE(radio.status().discovering);
}

TEST(BleStationTest, AClockStepBackKeepsTheWaitsAndForgetsPhonesOnTime) {
  using namespace std::chrono;
  testing::FakeRadio radio;
  CapturingSink sink;
  BleStation station(appliance(), radio, Logger(sink, "ble"), [](const PresencePeriod&) {});
  station.start(kT0);
  AddressHasher hasher(Duration(5 * 60'000));
  for (int s = 0; s <= 30; s += 10) hear_phone(radio, hasher, station, kT0 + seconds(s));
  const TimePoint before = station.next_deadline(kT0);  // the next presence sample
  ASSERT_GT(before, kT0 + seconds(30));
  const TimePoint back = kT0 + seconds(40) - hours(3);
  station.clock_stepped(back - (kT0 + seconds(40)), Turn{back, {}});
  EXPECT_EQ(radio.stepped, -hours(3));
  EXPECT_EQ(station.next_deadline(kT0), before - hours(3));  // seconds away, not 3 h
  EXPECT_EQ(station.count(back), 1);
  station.tick(Turn{kT0 + seconds(60) - hours(3), {}});  // the TLM refresh, 30 s after the last one
  auto tlm = decode_advert(radio.adverts()[1].payload());
  ASSERT_TRUE(tlm.ok());
  EXPECT_EQ(std::get<EddystoneTlmFrame>((*tlm)[0]).uptime_tenths, 600u);  // 60 s up, no jump
  // Last heard 10 s before the step: gone once the 5 min window has passed on the new clock.
  EXPECT_EQ(station.count(back + minutes(5)), 0);
}

}  // namespace
}  // namespace branchcast::ble
