// kill -9 loop: a child process adds proof of play and publishes telemetry to a real mosquitto;
// it is killed at random points, again and again, then one run finishes. Every play row must
// reach the broker inside exactly one sequence number (each row becomes a message exactly once),
// and a message delivered twice (QoS 1's at-least-once) must carry the same seq and payload.
//
// The child is this binary re-executed with --gtest_filter=FleetTelemetryCrash.ChildWorker and
// BC_TELEMETRY_DB / BC_TELEMETRY_URL set (no fork of a threaded process).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "services/fleet_telemetry.h"
#include "tests/services/telemetry_harness.h"

namespace branchcast {
namespace {

const TimePoint kT0 = TimePoint(sys_days(std::chrono::year{2026} / 3 / 2)) + std::chrono::hours(9);
constexpr int kIterations = 25;
constexpr int kPlaysPerIteration = 3;

std::string item(int64_t n) { return "content/item-" + std::to_string(n) + ".png"; }

TEST(FleetTelemetryCrash, ChildWorker) {
  const char* db_path = std::getenv("BC_TELEMETRY_DB");
  if (!db_path) GTEST_SKIP() << "only run as the child of KillNineLoopLosesNothing";
  auto db = std::move(Database::open(db_path).value());
  auto plays = PlayLogRepository::open(*db).value();
  ApplianceSettings settings;
  settings.branch.id = "central";
  settings.telemetry.mqtt = std::getenv("BC_TELEMETRY_URL");
  NullLogSink sink;
  test::PostedQueue loop;
  FleetTelemetryOptions o;
  o.random_unit = [] { return 0.0; };
  o.publish_batch = 4;  // more deletes, more places to be killed
  int64_t first = plays.last_id().value();
  auto t = FleetTelemetry::start(settings, *db, make_mosquitto_publisher(), loop.poster(), sink, o,
                                 kT0 + std::chrono::minutes(first));
  ASSERT_TRUE(t.ok()) << t.error().message;
  HealthSnapshot h;
  for (int i = 0; i < kIterations; ++i) {
    int64_t n = plays.last_id().value();
    for (int k = 0; k < kPlaysPerIteration; ++k)
      ASSERT_TRUE(plays.add({"entrance", "default", "image", item(n + k), kT0, 10, 16.7, 0}).ok());
    test::settle(**t, loop, kT0 + std::chrono::minutes(n + kPlaysPerIteration), h);
    // A run lasts at least 25 x 6 ms, longer than the parent's latest kill (120 ms), so on a fast
    // idle machine the child cannot finish before it is killed (found by CI: 1 run, 0 kills).
    std::this_thread::sleep_for(std::chrono::milliseconds(6));
  }
  ASSERT_EQ((*t)->buffer().depth, 0);
}

int spawn_child(const std::string& db_path, const std::string& url) {
  return test::spawn_self("FleetTelemetryCrash.ChildWorker",
                          {"BC_TELEMETRY_DB=" + db_path, "BC_TELEMETRY_URL=" + url});
}

TEST(FleetTelemetryCrash, KillNineLoopLosesNothing) {
  std::string dir = test::scratch_dir("crash");
  test::MqttBroker broker(dir);
  broker.start();
  test::MqttSubscriber subscriber(broker, dir);
  subscriber.start();
  std::string db_path = dir + "/branchcast.db";
  auto loop = test::run_kill_nine_loop([&] { return spawn_child(db_path, broker.url()); }, 25, 100, 5, 120, 20260302);
  ASSERT_FALSE(loop.child_failed) << "child failed";
  const int runs = loop.runs, kills = loop.kills;
  const bool finished = loop.finished;
  ASSERT_TRUE(finished);
  EXPECT_GE(kills, 10);

  auto db = std::move(Database::open(db_path).value());
  auto check = db->prepare("PRAGMA integrity_check").value();
  ASSERT_TRUE(check.step().value());
  EXPECT_EQ(check.column_text(0), "ok");
  int64_t total_plays = PlayLogRepository::open(*db).value().last_id().value();
  EXPECT_EQ(TelemetryRepository::open(*db).value().depth().value(), 0);

  std::map<int64_t, std::string> by_seq;  // seq -> payload
  auto received = subscriber.wait_for(1);
  for (int wait = 0; wait < 50; ++wait) {  // until the play messages cover every row
    received = subscriber.received();
    by_seq.clear();
    int64_t covered = 0;
    for (const auto& m : received) {
      auto j = nlohmann::json::parse(m.payload);
      if (by_seq.emplace(j["seq"].get<int64_t>(), m.payload).second && m.topic == "fleet/central/play")
        covered += static_cast<int64_t>(j["plays"].size());
    }
    if (covered >= total_plays) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (const auto& m : received)  // a message delivered twice is the same message
    EXPECT_EQ(by_seq.at(nlohmann::json::parse(m.payload)["seq"].get<int64_t>()), m.payload);
  int duplicates = static_cast<int>(received.size() - by_seq.size());
  std::vector<std::string> items;
  for (const auto& [seq, payload] : by_seq) {
    auto j = nlohmann::json::parse(payload);
    if (j.contains("plays"))
      for (const auto& p : j["plays"]) items.push_back(p["item"]);
  }
  ASSERT_EQ(items.size(), static_cast<size_t>(total_plays)) << "each play row in exactly one message";
  for (int64_t i = 0; i < total_plays; ++i) EXPECT_EQ(items[i], item(i));
  std::printf("kill -9 loop: %d runs, %d kills, %lld plays, %zu messages, %d duplicate deliveries (same seq)\n",
              runs, kills, static_cast<long long>(total_plays), by_seq.size(), duplicates);
}

}  // namespace
}  // namespace branchcast
