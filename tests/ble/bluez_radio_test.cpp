// The BlueZ adapter against python3-dbusmock's bluez5 (+ tests/ble/bluez_le_mock.py) on a private
// bus: what BlueZ receives (advertisement properties, discovery filter), sightings and counts after
// scripted arrivals and departures, frame rotation, and recovery when bluetoothd or the adapter
// goes away and comes back.
#include <gtest/gtest.h>

#include <map>

#include <sstream>

#include "appliance/cli.h"
#include "ble/beacon.h"
#include "ble/bluez_radio.h"
#include "ble/presence_service.h"
#include "tests/ble/bluez_harness.h"
#include "tests/ble/fakes/fake_clock.h"

namespace branchcast::ble {
namespace {

using testing::BluezHarness;
using testing::FakeClock;

const TimePoint kStart{std::chrono::seconds(1'772'442'000)};

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

GVariant* bytes(const Bytes& b) { return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, b.data(), b.size(), 1); }

Bytes bytes_of(GVariant* v) {
  gsize n = 0;
  const auto* p = static_cast<const uint8_t*>(g_variant_get_fixed_array(v, &n, 1));
  return Bytes(p, p + n);
}

// What the mock's RegisterAdvertisement read from our objects: path -> decoded advert payload
// (rebuilt from ManufacturerData/ServiceData as a scanner would see it) and the Type.
struct Registered {
  std::string type;
  std::vector<uint16_t> service_uuids;
  Bytes payload;
  uint32_t min_interval = 0;
};

class BluezRadioTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { harness_ = new BluezHarness(); }
  static void TearDownTestSuite() {
    delete harness_;
    harness_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(harness_->start_mock()); }
  void TearDown() override {
    radio_.reset();
    harness_->kill_mock();
  }

  void add_adapter(const char* name, int instances) {
    GVariant* r = harness_->mock("AddLeAdapter", g_variant_new("(ssy)", name, "branchcast", instances));
    ASSERT_NE(r, nullptr);
    g_variant_unref(r);
  }

  void make_radio() {
    auto r = make_bluez_radio(clock_, hasher_, Logger(log_, "ble"));
    ASSERT_TRUE(r.ok()) << r.error().message;
    radio_ = std::move(r.value());
  }

  std::map<std::string, Registered> registered(const char* adapter) {
    std::map<std::string, Registered> out;
    GVariant* r = harness_->mock("Advertisements", g_variant_new("(s)", adapter));
    if (!r) return out;
    GVariant* dict = g_variant_get_child_value(r, 0);
    GVariantIter it;
    g_variant_iter_init(&it, dict);
    const gchar* path;
    GVariant* props;
    while (g_variant_iter_next(&it, "{&o@a{sv}}", &path, &props)) {
      Registered reg;
      std::vector<AdStructure> ads;
      if (GVariant* t = g_variant_lookup_value(props, "Type", G_VARIANT_TYPE_STRING)) {
        reg.type = g_variant_get_string(t, nullptr);
        g_variant_unref(t);
      }
      if (GVariant* m = g_variant_lookup_value(props, "MinInterval", G_VARIANT_TYPE_UINT32)) {
        reg.min_interval = g_variant_get_uint32(m);
        g_variant_unref(m);
      }
      if (GVariant* m = g_variant_lookup_value(props, "ManufacturerData", G_VARIANT_TYPE("a{qv}"))) {
        GVariantIter mi;
        g_variant_iter_init(&mi, m);
        guint16 company;
        GVariant* data;
        while (g_variant_iter_next(&mi, "{qv}", &company, &data)) {
          ads.push_back(encode_manufacturer(company, bytes_of(data)));
          g_variant_unref(data);
        }
        g_variant_unref(m);
      }
      if (GVariant* s = g_variant_lookup_value(props, "ServiceData", G_VARIANT_TYPE("a{sv}"))) {
        GVariantIter si;
        g_variant_iter_init(&si, s);
        const gchar* uuid;
        GVariant* data;
        while (g_variant_iter_next(&si, "{&sv}", &uuid, &data)) {
          EXPECT_STREQ(uuid, "0000feaa-0000-1000-8000-00805f9b34fb");
          ads.push_back(encode_service_data16(kEddystoneUuid, bytes_of(data)));
          g_variant_unref(data);
        }
        g_variant_unref(s);
      }
      if (GVariant* u = g_variant_lookup_value(props, "ServiceUUIDs", G_VARIANT_TYPE("as"))) {
        GVariantIter ui;
        g_variant_iter_init(&ui, u);
        const gchar* uuid;
        while (g_variant_iter_next(&ui, "&s", &uuid)) reg.service_uuids.push_back(std::string(uuid) == "0000feaa-0000-1000-8000-00805f9b34fb" ? kEddystoneUuid : 0);
        g_variant_unref(u);
      }
      reg.payload = encode_ad(ads).value();
      out[path] = reg;
      g_variant_unref(props);
    }
    g_variant_unref(dict);
    g_variant_unref(r);
    return out;
  }

  // A device heard by the mock adapter.
  void advert(const char* adapter, const std::string& address, int rssi, const std::map<uint16_t, Bytes>& mfg,
              const std::map<uint16_t, Bytes>& svc) {
    GVariantBuilder m, s;
    g_variant_builder_init(&m, G_VARIANT_TYPE("a{qv}"));
    for (const auto& [k, v] : mfg) g_variant_builder_add(&m, "{qv}", k, bytes(v));
    g_variant_builder_init(&s, G_VARIANT_TYPE("a{sv}"));
    char uuid[48];
    for (const auto& [k, v] : svc) {
      g_snprintf(uuid, sizeof uuid, "0000%04x-0000-1000-8000-00805f9b34fb", k);
      g_variant_builder_add(&s, "{sv}", uuid, bytes(v));
    }
    GVariant* r = harness_->mock("Advert", g_variant_new("(ssn@a{qv}@a{sv})", adapter, address.c_str(),
                                                         static_cast<gint16>(rssi), g_variant_builder_end(&m),
                                                         g_variant_builder_end(&s)));
    ASSERT_NE(r, nullptr);
    g_variant_unref(r);
  }

  static BluezHarness* harness_;
  FakeClock clock_{kStart};
  AddressHasher hasher_{Duration(5 * 60'000)};
  NullLogSink log_;
  std::unique_ptr<BleRadio> radio_;
};

BluezHarness* BluezRadioTest::harness_ = nullptr;

TEST_F(BluezRadioTest, RegistersBroadcastAdvertsBlueZCanRead) {
  add_adapter("hci0", 4);
  make_radio();
  TlmState tlm;
  tlm.uptime = std::chrono::seconds(10);
  const auto plan = beacon_adverts(demo_beacon(), tlm);
  radio_->advertise(plan.adverts);
  ASSERT_TRUE(BluezHarness::wait_until([&] { return radio_->status().registered == 3; }));
  std::map<std::string, Registered> regs;
  ASSERT_TRUE(BluezHarness::wait_until([&] { return (regs = registered("hci0")).size() == 3; }));
  std::vector<std::string> kinds;
  for (const auto& [path, reg] : regs) {
    EXPECT_EQ(reg.type, "broadcast");
    EXPECT_EQ(reg.min_interval, 300u);
    auto frames = decode_advert(reg.payload);
    ASSERT_TRUE(frames.ok()) << frames.error().message;
    ASSERT_EQ(frames->size(), 1u);
    const Frame& f = (*frames)[0];
    if (const auto* ib = std::get_if<IBeaconFrame>(&f)) {
      EXPECT_EQ(ib->uuid, demo_beacon().ibeacon->uuid);
      EXPECT_EQ(ib->major, 1);
      EXPECT_EQ(ib->minor, 7);
      EXPECT_TRUE(reg.service_uuids.empty());
      kinds.push_back("ibeacon");
    } else if (const auto* url = std::get_if<EddystoneUrlFrame>(&f)) {
      EXPECT_EQ(url->url, "https://lib.example/ev");
      EXPECT_EQ(reg.service_uuids, std::vector<uint16_t>{kEddystoneUuid});
      kinds.push_back("url");
    } else if (const auto* t = std::get_if<EddystoneTlmFrame>(&f)) {
      EXPECT_EQ(t->uptime_tenths, 100u);
      kinds.push_back("tlm");
    }
  }
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"ibeacon", "tlm", "url"}));
  EXPECT_EQ(radio_->status().instances, 4);
}

TEST_F(BluezRadioTest, RotatesFramesWhenTheAdapterHasFewerInstances) {
  add_adapter("hci0", 1);
  make_radio();
  radio_->advertise(beacon_adverts(demo_beacon(), {}).adverts);
  std::set<std::string> seen;
  for (int step = 0; step < 3; ++step) {
    std::map<std::string, Registered> regs;
    ASSERT_TRUE(BluezHarness::wait_until([&] {
      regs = registered("hci0");
      return regs.size() == 1 && !seen.count(regs.begin()->first);
    })) << "step " << step;
    seen.insert(regs.begin()->first);
    clock_.advance(std::chrono::seconds(2));
    radio_->tick(Turn{clock_.now(), clock_.monotonic()});
  }
  EXPECT_EQ(seen.size(), 3u);  // every frame had its turn, never more than one at a time
}

TEST_F(BluezRadioTest, ScanSetsTheFilterAndCountsArrivalsAndDepartures) {
  add_adapter("hci0", 4);
  make_radio();
  PresenceSettings presence;
  std::vector<PresencePeriod> periods;
  PresenceService service("entrance", presence, demo_beacon(), [&](const PresencePeriod& p) { periods.push_back(p); });
  std::vector<RadioSighting> sightings;
  radio_->scan(-90, [&](const RadioSighting& s) {
    sightings.push_back(s);
    service.on_sighting(s);
  });
  ASSERT_TRUE(BluezHarness::wait_until([&] { return radio_->status().discovering; }));
  GVariant* filter = harness_->call("/org/bluez/hci0", "org.freedesktop.DBus.Properties", "Get",
                                    g_variant_new("(ss)", "org.bluez.Adapter1", "DiscoveryFilter"));
  ASSERT_NE(filter, nullptr);
  GVariant* inner;
  g_variant_get(filter, "(v)", &inner);
  const gchar* transport = nullptr;
  gboolean duplicates = FALSE;
  gint16 rssi = 0;
  EXPECT_TRUE(g_variant_lookup(inner, "Transport", "&s", &transport));
  EXPECT_STREQ(transport, "le");
  EXPECT_TRUE(g_variant_lookup(inner, "DuplicateData", "b", &duplicates));
  EXPECT_TRUE(duplicates);
  EXPECT_TRUE(g_variant_lookup(inner, "RSSI", "n", &rssi));
  EXPECT_EQ(rssi, -90);
  g_variant_unref(inner);
  g_variant_unref(filter);

  // Three phones arrive near the screen, one passes far away, and our own beacon is heard.
  const Bytes eid_frame = {0x30, 0xee, 1, 2, 3, 4, 5, 6, 7, 8};
  for (int round = 0; round < 3; ++round) {
    advert("hci0", "4A:00:00:00:00:01", -60, {}, {{kEddystoneUuid, eid_frame}});
    advert("hci0", "4A:00:00:00:00:02", -65, {{0x0075, {1, 2, 3}}}, {});
    advert("hci0", "4A:00:00:00:00:03", -70, {}, {});
    advert("hci0", "4A:00:00:00:00:04", -88, {}, {});
    advert("hci0", "4A:00:00:00:00:05", -50, {{kAppleCompanyId, ibeacon_body({demo_beacon().ibeacon->uuid, 1, 7, -59})}}, {});
    advert("hci0", "00:01:02:03:04:05", -40, {}, {});  // the adapter's own address
  }
  ASSERT_TRUE(BluezHarness::wait_until([&] { return sightings.size() >= 15; }));
  EXPECT_EQ(sightings.size(), 15u);
  for (const auto& s : sightings) EXPECT_FALSE(s.address.has_value());
  auto frames = decode_advert(sightings[0].payload);
  ASSERT_TRUE(frames.ok());
  ASSERT_EQ(frames->size(), 1u);
  EXPECT_EQ(std::get<EddystoneEidFrame>((*frames)[0]).eid, (Eid{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(sightings[0].rssi, -60);
  EXPECT_EQ(service.count(clock_.now()), 3);
  EXPECT_EQ(service.own_beacon_frames(), 3u);
  EXPECT_EQ(service.level(clock_.now()), PresenceLevel::kSome);

  // One leaves (not heard again); the others are still heard 4 minutes later; after the 5-minute
  // window the one who left is no longer counted.
  clock_.advance(std::chrono::minutes(4));
  advert("hci0", "4A:00:00:00:00:01", -61, {}, {{kEddystoneUuid, eid_frame}});
  advert("hci0", "4A:00:00:00:00:02", -64, {}, {});
  ASSERT_TRUE(BluezHarness::wait_until([&] { return sightings.size() >= 17; }));
  clock_.advance(std::chrono::minutes(1) + std::chrono::seconds(1));
  EXPECT_EQ(service.count(clock_.now()), 2);
  clock_.advance(std::chrono::minutes(5));
  EXPECT_EQ(service.count(clock_.now()), 0);
}

TEST_F(BluezRadioTest, RecoversWhenBluetoothdRestartsAndWhenTheAdapterComesBack) {
  add_adapter("hci0", 4);
  make_radio();
  radio_->advertise(beacon_adverts(demo_beacon(), {}).adverts);
  int heard = 0;
  radio_->scan(-90, [&](const RadioSighting&) { ++heard; });
  ASSERT_TRUE(BluezHarness::wait_until([&] { return radio_->status().discovering && radio_->status().registered == 3; }));

  // bluetoothd dies and comes back (a new mock process with a fresh adapter).
  harness_->kill_mock();
  ASSERT_TRUE(BluezHarness::wait_until([&] { return !radio_->status().bluez; }));
  EXPECT_FALSE(radio_->status().adapter);
  ASSERT_TRUE(harness_->start_mock());
  add_adapter("hci0", 4);
  ASSERT_TRUE(BluezHarness::wait_until([&] {
    const auto s = radio_->status();
    return s.bluez_restarts == 1 && s.discovering && s.registered == 3;
  }));
  std::map<std::string, Registered> regs;
  ASSERT_TRUE(BluezHarness::wait_until([&] { return (regs = registered("hci0")).size() == 3; }));
  advert("hci0", "4A:00:00:00:00:09", -60, {}, {});
  ASSERT_TRUE(BluezHarness::wait_until([&] { return heard == 1; }));

  // The adapter is unplugged and plugged back in.
  GVariant* r = harness_->mock("RemoveAdapter", g_variant_new("(s)", "hci0"));
  ASSERT_NE(r, nullptr);
  g_variant_unref(r);
  ASSERT_TRUE(BluezHarness::wait_until([&] { return !radio_->status().adapter; }));
  add_adapter("hci0", 4);
  ASSERT_TRUE(BluezHarness::wait_until([&] {
    const auto s = radio_->status();
    return s.adapter && s.discovering && s.registered == 3;
  }));
  ASSERT_TRUE(BluezHarness::wait_until([&] { return registered("hci0").size() == 3; }));
}

// `branchcast ble scan` end to end: adverts pushed while the command's loop runs (1 s).
TEST_F(BluezRadioTest, ScanCommandPrintsDecodedAdvertsAndNoAddresses) {
  add_adapter("hci0", 4);
  const Bytes url = {0x10, 0x00, 0x03, 'm', 'y', 'p', '.', 'm', 'e'};
  struct Ctx {
    BluezHarness* harness;
    Bytes url;
    int sent = 0;
  } ctx{harness_, url};
  const guint source = g_timeout_add(
      150,
      [](gpointer p) -> gboolean {
        auto* c = static_cast<Ctx*>(p);
        GVariantBuilder m, s;
        g_variant_builder_init(&m, G_VARIANT_TYPE("a{qv}"));
        g_variant_builder_init(&s, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&s, "{sv}", "0000feaa-0000-1000-8000-00805f9b34fb",
                              g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, c->url.data(), c->url.size(), 1));
        c->harness->mock_async("Advert", g_variant_new("(ssn@a{qv}@a{sv})", "hci0", "4A:11:22:33:44:55",
                                                       static_cast<gint16>(-60), g_variant_builder_end(&m),
                                                       g_variant_builder_end(&s)));
        // A patron's phone (Eddystone-EID) and a phone's own manufacturer data: never printed.
        const Bytes eid = {0x30, 0xee, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04};
        const Bytes apple = {0x10, 0x05, 0x51, 0x1c, 0xfe, 0xed, 0xfa, 0xce};
        g_variant_builder_init(&m, G_VARIANT_TYPE("a{qv}"));
        g_variant_builder_init(&s, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&m, "{qv}", static_cast<guint16>(0x004c),
                              g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, apple.data(), apple.size(), 1));
        g_variant_builder_add(&s, "{sv}", "0000feaa-0000-1000-8000-00805f9b34fb",
                              g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, eid.data(), eid.size(), 1));
        c->harness->mock_async("Advert", g_variant_new("(ssn@a{qv}@a{sv})", "hci0", "5B:66:77:88:99:AA",
                                                       static_cast<gint16>(-62), g_variant_builder_end(&m),
                                                       g_variant_builder_end(&s)));
        return ++c->sent < 5 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
      },
      &ctx);
  std::ostringstream out, err;
  SystemClock clock;
  NullLogSink log;
  CommandEnv env{out, err, log, clock};
  const int rc = run_cli({"ble", "scan", "--for", "1s", "--json"}, env);
  if (ctx.sent < 5) g_source_remove(source);
  EXPECT_EQ(rc, 0) << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find(R"("rssi":-60,"frames":[{"type":"eddystone-url","tx_power":0,"url":"https://myp.me"}]})"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"({"summary":{"adverts":)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("devices":2,"present":2,"rssi_threshold":-75,"adapter":true}})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("frames":[{"type":"manufacturer","company_id":76,"data_len":8,"redacted":true},{"type":"eddystone-eid","tx_power":-18,"redacted":true}]})"),
            std::string::npos)
      << text;
  for (const char* secret : {"4A:11", "4a:11", "5B:66", "5b:66", "deadbeef", "05511cfeedface"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace branchcast::ble
