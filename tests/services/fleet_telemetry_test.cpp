// Fleet telemetry end to end: real SQLite, the libmosquitto adapter, a real mosquitto on
// 127.0.0.1 and a mosquitto_sub subscriber. Time is a value: the test moves `now`.
#include "services/fleet_telemetry.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ble/ble_station.h"
#include "tests/ble/fakes/fake_radio.h"
#include "tests/services/telemetry_harness.h"

namespace branchcast {
namespace {

using nlohmann::json;

const TimePoint kT0 = TimePoint(sys_days(std::chrono::year{2026} / 3 / 2)) + std::chrono::hours(9);

class RecordingSink final : public LogSink {
 public:
  void write(LogLevel, std::string_view tag, std::string_view m) override {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push_back(std::string(tag) + ": " + std::string(m));
  }
  std::string all() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

ApplianceSettings appliance(const std::string& url) {
  ApplianceSettings a;
  a.branch.id = "central";
  a.screens.resize(1);
  a.screens[0].id = "entrance";
  a.presence.enabled = true;
  a.presence.min_reported = 3;
  a.telemetry.mqtt = url;
  return a;
}

HealthSnapshot health_at(TimePoint started) {
  HealthSnapshot h;
  h.started = started;
  h.first_frame = true;
  ScreenHealth sc;
  sc.id = "entrance";
  sc.rule = "default";
  sc.kind = "image";
  sc.item = "content/welcome.png";
  sc.last_presented = started;
  sc.max_gap_ms = 33.3;
  h.screens.push_back(sc);
  h.presence = PresenceLevel::kSome;
  h.feeds.push_back({"events", started, false});
  h.outbox_depth = 0;
  return h;
}

FleetTelemetryOptions options() {
  FleetTelemetryOptions o;
  o.version = "9.9.9-test";
  o.secrets = SecretSource{[](const std::string& name) -> std::optional<std::string> {
                             if (name == "MQTT_PASS") return std::string("fleet-secret-4242");
                             return std::nullopt;
                           },
                           [](const std::string&) -> Result<std::string> { return make_error("no files"); }};
  o.random_unit = [] { return 0.5; };
  o.publish_timeout = Duration(5'000);
  return o;
}

struct World {
  explicit World(const std::string& name) : dir(test::scratch_dir(name)), broker(dir), subscriber(broker, dir) {}

  std::unique_ptr<FleetTelemetry> start_telemetry(Database& db, TimePoint now, FleetTelemetryOptions o = options()) {
    auto t = FleetTelemetry::start(appliance(broker.url("fleet:${MQTT_PASS}")), db, make_mosquitto_publisher(),
                                   loop.poster(), sink, std::move(o), now);
    if (!t) throw std::runtime_error(t.error().message);
    return std::move(*t);
  }
  std::unique_ptr<Database> open_db() { return std::move(Database::open(dir + "/branchcast.db").value()); }

  std::string dir;
  test::MqttBroker broker;
  test::MqttSubscriber subscriber;
  test::PostedQueue loop;
  RecordingSink sink;
};

void add_plays(Database& db, int from, int count, TimePoint at) {
  auto plays = PlayLogRepository::open(db).value();
  for (int i = from; i < from + count; ++i) {
    PlayRecord r{"entrance", "default", "image", "content/item-" + std::to_string(i) + ".png",
                 at + std::chrono::seconds(i), 10.0, 16.7, 0};
    ASSERT_TRUE(plays.add(r).ok());
  }
}

std::vector<std::string> buffered_payloads(Database& db) {
  std::vector<std::string> out;
  auto q = db.prepare("SELECT kind || ' ' || payload FROM telemetry_buffer ORDER BY id").value();
  while (q.step().value()) out.push_back(q.column_text(0));
  return out;
}

std::vector<std::string> played_items(const std::vector<test::ReceivedMessage>& messages) {
  std::vector<std::string> items;
  for (const auto& m : messages)
    if (m.topic == "fleet/central/play") {
      json j = json::parse(m.payload);
      for (const auto& p : j["plays"]) items.push_back(p["item"]);
    }
  return items;
}

TEST(FleetTelemetry, HeartbeatArrivesWithTheDocumentedFields) {
  World w("heartbeat");
  w.broker.start();
  w.subscriber.start();
  auto db = w.open_db();
  auto t = w.start_telemetry(*db, kT0);
  EXPECT_EQ(t->base_topic(), "fleet");
  HealthSnapshot h = health_at(kT0 - std::chrono::minutes(10));
  h.screens[0].last_presented = kT0;
  test::settle(*t, w.loop, kT0, h);
  auto got = w.subscriber.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].topic, "fleet/central/heartbeat");
  json j = json::parse(got[0].payload);
  EXPECT_GE(j["seq"].get<int64_t>(), 1);
  EXPECT_EQ(j["branch"], "central");
  EXPECT_EQ(j["version"], "9.9.9-test");
  EXPECT_EQ(j["at"], "2026-03-02T09:00:00+00:00");
  EXPECT_EQ(j["uptime_s"], 600);
  EXPECT_EQ(j["healthy"], true);
  EXPECT_EQ(j["screens"][0]["screen"], "entrance");
  EXPECT_EQ(j["screens"][0]["item"], "content/welcome.png");
  EXPECT_EQ(j["screens"][0]["max_gap_ms"], 33.3);
  EXPECT_EQ(j["presence"], "some");
  EXPECT_EQ(j["feeds"][0]["age_s"], 600.0);
  EXPECT_EQ(j["outbox_depth"], 0);
  EXPECT_EQ(j["buffer"]["depth"], 0);
  EXPECT_EQ(j["buffer"]["dropped"], 0);
  EXPECT_EQ(t->buffer().depth, 0);
  EXPECT_TRUE(buffered_payloads(*db).empty());  // deleted on the broker's ack
  // Nothing due until the next heartbeat.
  EXPECT_EQ(t->next_deadline(kT0), kT0 + std::chrono::seconds(60));
}

TEST(FleetTelemetry, BrokerDownBuffersInSqliteThenDeliversEverythingInOrder) {
  World w("outage");
  auto db = w.open_db();
  auto t = w.start_telemetry(*db, kT0);
  HealthSnapshot h = health_at(kT0);
  auto presence = PresenceRepository::open(*db).value();
  TimePoint now = kT0;
  int plays = 0;
  for (int minute = 0; minute < 30; ++minute) {
    now = kT0 + std::chrono::minutes(minute);
    add_plays(*db, plays, 6, now);
    plays += 6;
    if (minute % 15 == 14) {
      ASSERT_TRUE(presence.record({now - std::chrono::minutes(14), now + std::chrono::minutes(1), "entrance", 7, 9, 30}).ok());
    }
    test::settle(*t, w.loop, now, h);
  }
  // 30 heartbeats, 30 play batches, 2 presence periods wait in SQLite.
  EXPECT_EQ(t->buffer().depth, 62);
  EXPECT_EQ(buffered_payloads(*db).size(), 62u);
  std::string log = w.sink.all();
  EXPECT_NE(log.find("127.0.0.1:" + std::to_string(w.broker.port())), std::string::npos) << log;
  EXPECT_EQ(log.find("fleet-secret-4242"), std::string::npos) << log;
  size_t warnings = 0;
  for (size_t p = log.find("broker unreachable"); p != std::string::npos; p = log.find("broker unreachable", p + 1)) ++warnings;
  EXPECT_EQ(warnings, 1u) << "one warning per outage, not per retry:\n" << log;

  w.broker.start();
  w.subscriber.start();
  now += std::chrono::minutes(6);  // past the longest backoff (5 min cap)
  test::settle(*t, w.loop, now, h);
  EXPECT_EQ(t->buffer().depth, 0);
  auto got = w.subscriber.wait_for(63);  // and the heartbeat of this minute
  ASSERT_EQ(got.size(), 63u);
  int64_t last_seq = 0;
  std::map<std::string, int> kinds;
  for (const auto& m : got) {
    json j = json::parse(m.payload);
    EXPECT_GT(j["seq"].get<int64_t>(), last_seq) << "in order, no duplicates";
    last_seq = j["seq"];
    kinds[m.topic]++;
  }
  EXPECT_EQ(kinds["fleet/central/heartbeat"], 31);
  EXPECT_EQ(kinds["fleet/central/play"], 30);
  EXPECT_EQ(kinds["fleet/central/presence"], 2);
  auto items = played_items(got);
  ASSERT_EQ(items.size(), static_cast<size_t>(plays));
  for (int i = 0; i < plays; ++i) EXPECT_EQ(items[i], "content/item-" + std::to_string(i) + ".png");
  EXPECT_NE(w.sink.all().find("broker reachable again"), std::string::npos);
}

TEST(FleetTelemetry, ARestartedPublisherDeliversTheBufferAndRepeatsNothing) {
  World w("restart");
  HealthSnapshot h = health_at(kT0);
  {
    auto db = w.open_db();
    add_plays(*db, 0, 5, kT0);  // history before telemetry was turned on: not sent
    auto t = w.start_telemetry(*db, kT0);
    add_plays(*db, 5, 10, kT0);
    test::settle(*t, w.loop, kT0, h);
    EXPECT_EQ(t->buffer().depth, 2);  // broker down
  }
  w.broker.start();
  w.subscriber.start();
  auto db = w.open_db();
  add_plays(*db, 15, 3, kT0);
  auto t = w.start_telemetry(*db, kT0 + std::chrono::minutes(1));
  test::settle(*t, w.loop, kT0 + std::chrono::minutes(1), h);
  auto got = w.subscriber.wait_for(4);
  ASSERT_EQ(got.size(), 4u);  // plays 5-14, heartbeat (first run); plays 15-17, heartbeat (second)
  auto items = played_items(got);
  ASSERT_EQ(items.size(), 13u);
  for (int i = 0; i < 13; ++i) EXPECT_EQ(items[i], "content/item-" + std::to_string(i + 5) + ".png");
  EXPECT_EQ(t->buffer().depth, 0);
}

TEST(FleetTelemetry, TheBufferStaysBoundedAndTheHeartbeatReportsTheDrops) {
  World w("bound");
  auto db = w.open_db();
  FleetTelemetryOptions o = options();
  o.bound.max_rows = 10;
  auto t = w.start_telemetry(*db, kT0, o);
  HealthSnapshot h = health_at(kT0);
  TimePoint now = kT0;
  for (int minute = 0; minute < 40; ++minute) {
    now = kT0 + std::chrono::minutes(minute);
    add_plays(*db, minute, 1, now);
    test::settle(*t, w.loop, now, h);
    ASSERT_LE(t->buffer().depth, 10);
  }
  // 80 messages made, 10 kept: heartbeats went first (all but the newest), then the oldest plays.
  EXPECT_EQ(t->buffer().dropped_total, 70);
  auto stored = buffered_payloads(*db);
  ASSERT_EQ(stored.size(), 10u);
  for (size_t i = 0; i + 1 < stored.size(); ++i) EXPECT_EQ(stored[i].substr(0, 5), "play ") << stored[i];
  EXPECT_EQ(stored.back().substr(0, 10), "heartbeat ");
  w.broker.start();
  w.subscriber.start();
  now += std::chrono::minutes(6);
  test::settle(*t, w.loop, now, h);
  auto got = w.subscriber.wait_for(10);
  ASSERT_EQ(got.size(), 10u);
  EXPECT_EQ(played_items(got).front(), "content/item-31.png");  // the newest plays survive
  EXPECT_EQ(got.back().topic, "fleet/central/heartbeat");
  json beat = json::parse(got.back().payload);
  EXPECT_EQ(beat["buffer"]["dropped"], 70);
  EXPECT_EQ(beat["buffer"]["depth"], 10);
}

// Planted identifiers (raw addresses heard by the radio, a patron id, an address typed into a
// text item) go through presence counting and proof of play; none may appear in what reaches
// the broker or the telemetry table. Small counts are exported as "<3".
TEST(FleetTelemetry, NoAddressOrIdentifierLeavesAndSmallCountsAreSuppressed) {
  World w("privacy");
  w.broker.start();
  w.subscriber.start();
  auto db = w.open_db();
  const std::vector<std::string> addresses = {"DC:A6:32:4F:1B:7E", "F0:99:B6:12:34:56"};
  const std::string patron = "patron-000471";

  // Presence: the real station and counter, fed sightings of two planted devices.
  ApplianceSettings settings = appliance(w.broker.url());
  testing::FakeRadio radio;
  NullLogSink quiet;
  auto repo = PresenceRepository::open(*db).value();
  ble::BleStation station(settings, radio, Logger(quiet, "ble"), [&](const PresencePeriod& p) {
    ASSERT_TRUE(repo.record(p).ok());
  });
  auto t = w.start_telemetry(*db, kT0);
  ble::AddressHasher hasher(settings.presence.window);
  TimePoint start = TimePoint(std::chrono::ceil<std::chrono::minutes>(kT0.time_since_epoch()));
  station.start(start);
  std::vector<std::string> hashes;
  for (int s = 0; s <= 16 * 60; s += 10) {
    TimePoint at = start + std::chrono::seconds(s);
    for (const auto& a : addresses) {
      ble::RadioSighting r;
      r.device = hasher.hash(a, at);
      r.rssi = -55;
      r.at = at;
      char hex[33];
      for (int i = 0; i < 16; ++i) std::snprintf(hex + 2 * i, 3, "%02x", r.device.current[i]);
      hashes.push_back(hex);
      radio.hear(r);
    }
    if (at >= station.next_deadline(at)) station.tick(Turn{at, {}});
  }
  // Proof of play with an address a member of staff typed into a text item.
  auto plays = PlayLogRepository::open(*db).value();
  ASSERT_TRUE(plays.add({"entrance", "default", "text", "Lost phone " + addresses[0] + " at the desk", kT0, 8, 0, 0}).ok());

  HealthSnapshot h = health_at(kT0);
  h.screens[0].item = "Ask " + addresses[1];
  TimePoint now = start + std::chrono::minutes(17);
  t->health_from([h](TimePoint) { return h; });
  t->tick(Turn{now, {}});  // collect only: look at the table before anything is delivered
  std::vector<std::string> stored = buffered_payloads(*db);
  ASSERT_EQ(stored.size(), 3u);  // play, presence, heartbeat
  test::settle(*t, w.loop, now, h);
  auto got = w.subscriber.wait_for(3);
  ASSERT_EQ(got.size(), 3u);

  std::vector<std::string> texts = stored;
  for (const auto& m : got) texts.push_back(m.topic + " " + m.payload);
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::vector<std::string> planted = {patron};
  for (const auto& a : addresses) {
    planted.push_back(lower(a));
    planted.push_back(lower(a.substr(9)));  // the device-specific half
    std::string bare = a;
    bare.erase(std::remove(bare.begin(), bare.end(), ':'), bare.end());
    planted.push_back(lower(bare));
  }
  for (const auto& hsh : hashes) planted.push_back(hsh.substr(0, 12));
  for (const auto& text : texts)
    for (const auto& p : planted) EXPECT_EQ(lower(text).find(p), std::string::npos) << p << " in " << text;

  json presence;
  for (const auto& m : got)
    if (m.topic == "fleet/central/presence") presence = json::parse(m.payload);
  ASSERT_FALSE(presence.is_null());
  EXPECT_EQ(presence["screens"][0]["devices"], "<3");  // two devices
  EXPECT_EQ(presence["screens"][0]["peak"], "<3");
}

// A broker that accepts the TCP connection and never answers: the loop thread is never held
// (tick returns with the publish still in flight), the worker gives up after the timeout, the
// error names host:port and nothing buffered is lost.
TEST(FleetTelemetry, AHungBrokerHoldsOnlyTheWorker) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 8), 0);  // the kernel completes handshakes; nobody ever reads
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  int port = ntohs(addr.sin_port);

  World w("hung");
  auto db = w.open_db();
  FleetTelemetryOptions o = options();
  o.publish_timeout = Duration(300);
  ApplianceSettings settings = appliance("mqtt://fleet:${MQTT_PASS}@127.0.0.1:" + std::to_string(port) + "/fleet");
  auto t = FleetTelemetry::start(settings, *db, make_mosquitto_publisher(), w.loop.poster(), w.sink, o, kT0);
  ASSERT_TRUE(t.ok()) << t.error().message;
  HealthSnapshot h = health_at(kT0);
  (*t)->health_from([h](TimePoint) { return h; });
  (*t)->tick(Turn{kT0, {}});
  EXPECT_TRUE((*t)->publishing());  // tick returned; the worker is waiting for the broker
  EXPECT_EQ((*t)->next_deadline(kT0), kT0 + std::chrono::seconds(60));  // nothing for the loop to do meanwhile
  ASSERT_TRUE(w.loop.run_one());
  EXPECT_EQ((*t)->next_deadline(kT0), TimePoint::min());  // the outcome waits for the next tick
  (*t)->tick(Turn{kT0, {}});
  EXPECT_FALSE((*t)->publishing());
  EXPECT_EQ((*t)->buffer().depth, 1);
  std::string log = w.sink.all();
  EXPECT_NE(log.find("mqtt 127.0.0.1:" + std::to_string(port) + ": timed out"), std::string::npos) << log;
  EXPECT_EQ(log.find("fleet-secret-4242"), std::string::npos) << log;
  ::close(fd);
}

TEST(FleetTelemetry, ABadUrlIsRefusedNamingOnlyTheBroker) {
  World w("bad-url");
  auto db = w.open_db();
  auto settings = appliance("mqtt://u:${MQTT_PASS}@127.0.0.1:1883");  // no topic
  auto t = FleetTelemetry::start(settings, *db, make_mosquitto_publisher(), w.loop.poster(), w.sink, options(), kT0);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("mqtt://127.0.0.1:1883"), std::string::npos) << t.error().message;
  EXPECT_EQ(t.error().message.find("fleet-secret-4242"), std::string::npos);
  settings.telemetry.mqtt = "mqtt://u:${UNSET_PASS}@127.0.0.1:1883/fleet";
  t = FleetTelemetry::start(settings, *db, make_mosquitto_publisher(), w.loop.poster(), w.sink, options(), kT0);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("UNSET_PASS"), std::string::npos) << t.error().message;
}

}  // namespace
}  // namespace branchcast
