#include "ble/presence_service.h"

#include <gtest/gtest.h>

#include "tests/ble/fakes/fake_radio.h"

namespace branchcast::ble {
namespace {

const TimePoint kT0{std::chrono::minutes(29'460'000)};  // on a quarter hour

BeaconSettings own() {
  BeaconSettings b;
  IBeaconSettings ib;
  ib.uuid.fill(0x11);
  b.ibeacon = ib;
  return b;
}

RadioSighting sighting(AddressHasher& h, const std::string& addr, int rssi, TimePoint at, Bytes payload = {}) {
  RadioSighting s;
  s.device = h.hash(addr, at);
  s.rssi = rssi;
  s.at = at;
  s.payload = std::move(payload);
  return s;
}

TEST(PresenceServiceTest, CountsPeopleNotOurBeaconAndRecognisesPatrons) {
  const IdentityKey key = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  const int64_t epoch = 1'700'000'000;
  EidResolver resolver({{key, epoch, 10}});
  std::vector<size_t> patrons;
  std::vector<PresencePeriod> periods;
  PresenceSettings settings;
  PresenceService service("entrance", settings, own(), [&](const PresencePeriod& p) { periods.push_back(p); }, &resolver,
                          [&](size_t i, TimePoint) { patrons.push_back(i); });
  testing::FakeRadio radio;
  radio.scan(-90, [&](const RadioSighting& s) { service.on_sighting(s); });
  AddressHasher hasher(settings.window);

  IBeaconFrame ours;
  ours.uuid.fill(0x11);
  const Bytes beacon = encode_ad({encode_manufacturer(kAppleCompanyId, ibeacon_body(ours))}).value();
  const auto eid = compute_eid(key, *eid_counter(epoch, kT0), 10);
  const Bytes phone = encode_ad({encode_service_data16(kEddystoneUuid, eddystone_eid_data({-18, eid}))}).value();
  for (int s = 0; s < 600; s += 5) {
    const TimePoint at = kT0 + std::chrono::seconds(s);
    radio.hear(sighting(hasher, "beacon-next-door", -40, at, beacon));
    radio.hear(sighting(hasher, "patron-phone", -60, at, phone));
    if (s < 300) radio.hear(sighting(hasher, "visitor", -65, at, {0x02, 0x01}));  // truncated: still a device
    radio.hear(sighting(hasher, "far-away", -95, at));                             // below the scan floor
    service.tick(at);
  }
  EXPECT_EQ(service.own_beacon_frames(), 120u);
  EXPECT_EQ(patrons.size(), 120u);
  EXPECT_EQ(patrons[0], 0u);
  // 600 s into a 15-minute period: nothing to store yet; the period is emitted when it ends.
  EXPECT_TRUE(periods.empty());
  service.tick(kT0 + std::chrono::minutes(15));
  ASSERT_EQ(periods.size(), 1u);
  EXPECT_EQ(periods[0].start, kT0);
  EXPECT_EQ(periods[0].screen, "entrance");
  EXPECT_EQ(periods[0].peak, 2);
  EXPECT_GE(periods[0].devices, 1);
  EXPECT_LE(periods[0].devices, 2);
  EXPECT_EQ(service.level(kT0 + std::chrono::minutes(30)), PresenceLevel::kEmpty);
}

}  // namespace
}  // namespace branchcast::ble
