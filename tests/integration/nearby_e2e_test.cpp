// End to end: BlueZ (python3-dbusmock on a private bus), a phone advertising an enrolled patron's
// Eddystone-EID, `branchcast run` as a real process, and an ntfy-like server on 127.0.0.1.
// A recognised patron gets one prompt (the book by the author they follow); an unknown EID gets
// none; the same patron seen again the same day gets no second one.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "ble/advert.h"
#include "ble/eid.h"
#include "tests/ble/bluez_harness.h"
#include "tests/config/test_support.h"
#include "tests/notify/support/loopback_http_server.h"

namespace branchcast {
namespace {

using testing::BluezHarness;
using testing::TempDir;

constexpr const char* kKeyHex = "7b0c1e5d9a3f42e1b6c8d0f2a4e6c8b0";
constexpr int64_t kEpoch = 1767225600;

GVariant* bytes(const std::vector<uint8_t>& b) {
  return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, b.data(), b.size(), 1);
}

// The Eddystone-EID service data a phone with `key` sends now.
std::vector<uint8_t> eid_frame(const std::string& key_hex) {
  ble::IdentityKey key{};
  for (size_t i = 0; i < 16; ++i) key[i] = static_cast<uint8_t>(std::stoi(key_hex.substr(2 * i, 2), nullptr, 16));
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  ble::Eid eid = ble::compute_eid(key, static_cast<uint32_t>(now.count() - kEpoch), 10);
  std::vector<uint8_t> frame{0x30, 0xEE};
  frame.insert(frame.end(), eid.begin(), eid.end());
  return frame;
}

void phone(BluezHarness& h, const std::string& address, const std::vector<uint8_t>& service_data) {
  GVariantBuilder m, s;
  g_variant_builder_init(&m, G_VARIANT_TYPE("a{qv}"));
  g_variant_builder_init(&s, G_VARIANT_TYPE("a{sv}"));
  g_variant_builder_add(&s, "{sv}", "0000feaa-0000-1000-8000-00805f9b34fb", bytes(service_data));
  GVariant* r = h.mock("Advert", g_variant_new("(ssn@a{qv}@a{sv})", "hci0", address.c_str(), static_cast<gint16>(-50),
                                                g_variant_builder_end(&m), g_variant_builder_end(&s)));
  ASSERT_NE(r, nullptr);
  g_variant_unref(r);
}

// A port nothing listens on right now (for the appliance's health endpoint).
int free_port() {
  test::LoopbackHttpServer probe;
  return probe.port();
}

void write_branch(const TempDir& t, const std::string& ntfy_authority) {
  t.write("appliance.yaml", R"(branch:
  id: e2e
  name: E2E Library
  timezone: UTC
  opening_hours:
    mon-sun: "00:00-24:00"
screens:
  - id: entrance
    output: offscreen
    resolution: 320x180
    playlist: playlist.yaml
feeds:
  - id: arrivals
    kind: rss
    url: file:arrivals.xml
    refresh: 1h
presence:
  enabled: true
  rssi_threshold: -90
  window: 1m
notifications:
  patrons: file:patrons.yaml
  max_per_patron_per_day: 1
health:
  listen: 127.0.0.1:)" + std::to_string(free_port()) + "\n");
  t.write("playlist.yaml", "default:\n  - text: \"Welcome\"\n    duration: 5s\n");
  t.write("arrivals.xml", R"(<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>New</title>
<item><title>The Raven Black</title><guid>isbn:9780330440868</guid><dc:creator>Ann Cleeves</dc:creator>
<category>crime</category></item>
<item><title>Gardening for Beginners</title><guid>isbn:9780000000019</guid><dc:creator>Sam Green</dc:creator>
<category>gardening</category></item>
</channel></rss>
)");
  t.write("patrons.yaml", std::string("- id: p-4821\n  key: ") + kKeyHex +
                              "\n  epoch: 1767225600\n  rotation: 10\n  notify: ntfy://" + ntfy_authority +
                              "/p-4821-3f9a\n  interests: { authors: [\"Ann Cleeves\"], subjects: [crime], ages: adult }\n");
}

pid_t start_appliance(const TempDir& t, const std::string& bus, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.c_str(), 1);
    setenv("BRANCHCAST_STATE_DIR", (t / "state").c_str(), 1);
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    FILE* f = freopen(log.c_str(), "w", stderr);
    (void)f;
    std::string bin = std::string(BRANCHCAST_BINARY_DIR) + "/branchcast";
    std::string config = t / "appliance.yaml";
    execl(bin.c_str(), bin.c_str(), "run", "--config", config.c_str(), "--for", "60s", nullptr);
    _exit(127);
  }
  return pid;
}

TEST(NearbyEndToEnd, RecognisedPatronGetsOnePromptUnknownGetsNone) {
  BluezHarness harness;
  ASSERT_TRUE(harness.start_mock());
  GVariant* a = harness.mock("AddLeAdapter", g_variant_new("(ssy)", "hci0", "e2e", 4));
  ASSERT_NE(a, nullptr);
  g_variant_unref(a);
  test::LoopbackHttpServer ntfy;
  TempDir t;
  write_branch(t, ntfy.authority());
  std::string log = t / "appliance.log";
  pid_t pid = start_appliance(t, harness.address(), log);

  // An unknown phone first, then the patron's phone, re-advertising every half second (a phone
  // advertises continuously) until a prompt arrives or a generous limit passes.
  bool exited = false;
  bool arrived = BluezHarness::wait_until(
      [&] {
        int st = 0;
        if (waitpid(pid, &st, WNOHANG) == pid) exited = true;
        if (exited) return true;
        static int round = 0;
        if (round++ % 50 == 0) {
          phone(harness, "7A:11:22:33:44:55", eid_frame("00112233445566778899aabbccddeeff"));
          phone(harness, "5C:66:77:88:99:AA", eid_frame(kKeyHex));
        }
        return !ntfy.requests().empty();
      },
      45'000);
  // Seen again: no second prompt the same day.
  for (int i = 0; i < 5; ++i) {
    phone(harness, "5C:66:77:88:99:AA", eid_frame(kKeyHex));
    BluezHarness::wait_until([] { return false; }, 500);
  }
  if (!exited) {
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  std::ifstream in(log);
  std::string logged((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  ASSERT_TRUE(arrived && !ntfy.requests().empty()) << "no prompt arrived; appliance log:\n" << logged;
  auto requests = ntfy.requests();
  ASSERT_EQ(requests.size(), 1u) << logged;
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/p-4821-3f9a");
  EXPECT_NE(requests[0].body.find("The Raven Black"), std::string::npos) << requests[0].body;
  EXPECT_EQ(requests[0].header("title"), "E2E Library");
  // Nothing identifying in the log: no address, no patron id, no key, no topic.
  for (const char* secret : {"5C:66:77:88:99:AA", "7A:11:22:33:44:55", "p-4821", kKeyHex})
    EXPECT_EQ(logged.find(secret), std::string::npos) << secret << " in log:\n" << logged;
}

}  // namespace
}  // namespace branchcast
