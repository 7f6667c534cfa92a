// Privacy, checked: after a run with thousands of simulated devices (through the presence pipeline
// directly, and a few hundred through BlueZ over D-Bus), no address, address hash, salt or raw
// payload of another device appears in the SQLite file, its WAL, the log or any file under the
// state dir.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <unordered_set>

#include "ble/bluez_radio.h"
#include "ble/crowd_sim.h"
#include "ble/presence_service.h"
#include "common/strings.h"
#include "store/database.h"
#include "store/presence_repository.h"
#include "tests/ble/bluez_harness.h"
#include "tests/ble/fakes/fake_clock.h"

namespace branchcast::ble {
namespace {

namespace fs = std::filesystem;

// Every line at every level goes to a file in the state dir.
class FileLogSink final : public LogSink {
 public:
  explicit FileLogSink(const fs::path& p) : out_(p) {}
  void write(LogLevel, std::string_view tag, std::string_view message) override {
    out_ << tag << ": " << message << "\n";
    out_.flush();
  }

 private:
  std::ofstream out_;
};

struct Secrets {
  std::set<std::string> needles;  // binary and hex forms
  void add_bytes(const uint8_t* p, size_t n) {
    needles.insert(std::string(reinterpret_cast<const char*>(p), n));
    needles.insert(to_hex(p, n));
  }
  void add_text(const std::string& s) { needles.insert(s); }
};

std::string colon_address(const std::array<uint8_t, 6>& a) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02X:%02X:%02X:%02X:%02X:%02X", a[0], a[1], a[2], a[3], a[4], a[5]);
  return buf;
}

// Finds any needle (all at least 6 bytes) in the bytes of a file, through an index of 6-byte windows.
std::vector<std::string> leaks_in(const std::string& bytes, const std::set<std::string>& needles) {
  std::unordered_set<uint64_t> windows;
  auto key = [](const char* p) {
    uint64_t k = 0;
    std::memcpy(&k, p, 6);
    return k;
  };
  for (size_t i = 0; i + 6 <= bytes.size(); ++i) windows.insert(key(bytes.data() + i));
  std::vector<std::string> found;
  for (const auto& n : needles) {
    if (n.size() < 6 || !windows.count(key(n.data()))) continue;
    if (bytes.find(n) != std::string::npos) found.push_back(to_hex(reinterpret_cast<const uint8_t*>(n.data()), n.size()));
  }
  return found;
}

TEST(PrivacyTest, NothingIdentifyingReachesTheStateDir) {
  const fs::path state = fs::path(default_state_dir()) / "privacy";
  fs::remove_all(state);
  fs::create_directories(state);
  Secrets secrets;
  FileLogSink log(state / "branchcast.log");

  // Salts: recorded as they are drawn, so the test can look for them.
  std::mt19937_64 salt_rng(99);
  PresenceSettings presence;
  AddressHasher hasher(presence.window, [&](uint8_t* d, size_t n) {
    for (size_t i = 0; i < n; ++i) d[i] = static_cast<uint8_t>(salt_rng());
    secrets.add_bytes(d, n);
  });

  auto db = Database::open((state / "branchcast.db").string());
  ASSERT_TRUE(db.ok()) << db.error().to_string();
  auto repo = PresenceRepository::open(**db);
  ASSERT_TRUE(repo.ok());
  int rows = 0;
  Logger logger(log, "presence");
  PresenceService service("entrance", presence, BeaconSettings{}, [&](const PresencePeriod& p) {
    ASSERT_TRUE(repo->record(p).ok());
    logger.info("period stored: " + std::to_string(p.devices) + " devices");
    ++rows;
  });

  auto record_sighting = [&](const RadioSighting& s) {
    secrets.add_bytes(s.device.current.data(), s.device.current.size());
    if (s.device.previous) secrets.add_bytes(s.device.previous->data(), s.device.previous->size());
    service.on_sighting(s);
  };

  // 1. Thousands of devices through the pipeline: each advertises manufacturer data unique to it.
  CrowdOptions crowd;
  crowd.length = std::chrono::hours(1);
  crowd.arrivals_per_hour = 1500;
  crowd.mean_dwell = std::chrono::minutes(8);
  std::set<std::array<uint8_t, 6>> addresses;
  run_crowd(
      crowd,
      [&](const SimSighting& s) {
        if (addresses.insert(s.address).second) {
          secrets.add_bytes(s.address.data(), s.address.size());
          secrets.add_text(colon_address(s.address));
        }
        Bytes mfg = {s.address[5], s.address[4], s.address[3], s.address[2], s.address[1], s.address[0], 0x5e, 0xc7};
        RadioSighting r;
        r.at = s.at;
        r.rssi = s.rssi;
        r.payload = encode_ad({encode_manufacturer(0x0075, mfg)}).value();
        secrets.add_bytes(mfg.data(), mfg.size());
        r.device = hasher.hash(colon_address(s.address), s.at);
        record_sighting(r);
      },
      [&](TimePoint now, int) { service.tick(now); });
  EXPECT_GT(addresses.size(), 1000u);

  // 2. A few hundred through BlueZ over D-Bus (dbusmock), with the adapter logging to the same file.
  {
    testing::BluezHarness harness;
    ASSERT_TRUE(harness.start_mock());
    GVariant* r = harness.mock("AddLeAdapter", g_variant_new("(ssy)", "hci0", "branchcast", 4));
    ASSERT_NE(r, nullptr);
    g_variant_unref(r);
    testing::FakeClock clock(crowd.start + crowd.length);
    auto radio = make_bluez_radio(clock, hasher, Logger(log, "ble"));
    ASSERT_TRUE(radio.ok());
    int heard = 0;
    (*radio)->scan(-100, [&](const RadioSighting& s) {
      ++heard;
      record_sighting(s);
    });
    ASSERT_TRUE(testing::BluezHarness::wait_until([&] { return (*radio)->status().discovering; }));
    std::mt19937_64 rng(5);
    for (int i = 0; i < 300; ++i) {
      std::array<uint8_t, 6> a{};
      for (auto& b : a) b = static_cast<uint8_t>(rng());
      a[0] = static_cast<uint8_t>((a[0] & 0x3f) | 0x40);
      secrets.add_text(colon_address(a));
      secrets.add_bytes(a.data(), a.size());
      const Bytes svc = {0x30, 0xee, a[0], a[1], a[2], a[3], a[4], a[5], 0x99, 0x42};
      secrets.add_bytes(svc.data() + 2, 8);
      GVariantBuilder m, s;
      g_variant_builder_init(&m, G_VARIANT_TYPE("a{qv}"));
      g_variant_builder_init(&s, G_VARIANT_TYPE("a{sv}"));
      g_variant_builder_add(&s, "{sv}", "0000feaa-0000-1000-8000-00805f9b34fb",
                            g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, svc.data(), svc.size(), 1));
      GVariant* reply = harness.mock("Advert", g_variant_new("(ssn@a{qv}@a{sv})", "hci0", colon_address(a).c_str(),
                                                             static_cast<gint16>(-60), g_variant_builder_end(&m),
                                                             g_variant_builder_end(&s)));
      ASSERT_NE(reply, nullptr);
      g_variant_unref(reply);
    }
    ASSERT_TRUE(testing::BluezHarness::wait_until([&] { return heard == 300; }));
    clock.advance(std::chrono::minutes(16));
    service.tick(clock.now());
    service.flush();
  }
  EXPECT_GT(rows, 3);

  // 3. Scan every file under the state dir (database, -wal, -shm, log) while the database is open.
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(state)) {
    if (!e.is_regular_file()) continue;
    ++files;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto leaks = leaks_in(bytes, secrets.needles);
    EXPECT_TRUE(leaks.empty()) << e.path() << " contains " << leaks.size() << " secrets, e.g. " << leaks[0];
  }
  EXPECT_GE(files, 3u);  // branchcast.db, its WAL and the log at least
  EXPECT_GT(secrets.needles.size(), 5000u);
}

// The scan itself must be able to find a leak: plant one.
TEST(PrivacyTest, TheScanFindsAPlantedAddress) {
  std::set<std::string> needles = {"4A:00:00:00:00:01", std::string("\x4a\x01\x02\x03\x04\x05", 6)};
  EXPECT_EQ(leaks_in("xx4A:00:00:00:00:01yy", needles).size(), 1u);
  EXPECT_EQ(leaks_in(std::string("....\x4a\x01\x02\x03\x04\x05..", 12), needles).size(), 1u);
  EXPECT_TRUE(leaks_in("nothing here at all", needles).empty());
}

}  // namespace
}  // namespace branchcast::ble
