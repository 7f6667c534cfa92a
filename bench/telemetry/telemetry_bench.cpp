// Fleet telemetry: how fast a buffer that filled up while the broker was away drains, and what a
// collect costs the loop thread. Usage: bench_telemetry [messages]
//
// baseline: N proof-of-play sized messages sent with MqttPublisher::publish, one connection each,
//        to mosquitto on 127.0.0.1; publish_in_order: the same in batches of 50 per connection;
// drain: N buffered messages through FleetTelemetry (SQLite read, batches of 50 on one connection
//        in strict order, fsync'd deletes).
// collect: tick() with 100 new play rows and a heartbeat (one fsync'd transaction), against
//        one frame period at 30 fps.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "services/fleet_telemetry.h"
#include "tests/services/telemetry_harness.h"

using namespace branchcast;
using Clock = std::chrono::steady_clock;

namespace {

const TimePoint kT0 = TimePoint(sys_days(std::chrono::year{2026} / 3 / 2)) + std::chrono::hours(9);

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::vector<PlayLogRow> plays(int n, int from) {
  std::vector<PlayLogRow> rows;
  for (int i = 0; i < n; ++i)
    rows.push_back({from + i, {"entrance", "default", "image", "content/item-" + std::to_string(from + i) + ".png",
                               kT0 + std::chrono::seconds(i), 10, 16.7, 0}});
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::max(50, std::atoi(argv[1])) : 1000;
  std::string dir = test::scratch_dir("bench");
  test::MqttBroker broker(dir);
  broker.start();
  ApplianceSettings settings;
  settings.branch.id = "central";
  settings.telemetry.mqtt = broker.url();
  TelemetryIdentity id{"central", "bench", 3};
  std::string payload = play_payload(id, plays(6, 0));  // one heartbeat period of one screen

  // Baseline: one connection per message.
  auto publisher = make_mosquitto_publisher();
  MqttMessage m;
  m.host = "127.0.0.1";
  m.port = broker.port();
  m.topic = "fleet/central/play";
  m.payload = payload;
  auto t = Clock::now();
  for (int i = 0; i < n; ++i)
    if (!publisher->publish(m)) {
      std::fprintf(stderr, "baseline publish failed\n");
      return 1;
    }
  double baseline = n / seconds_since(t);

  // The same messages in batches of 50 on one connection each (publish_in_order), no SQLite.
  std::vector<MqttMessage> batch(50, m);
  t = Clock::now();
  for (int sent = 0; sent < n; sent += 50)
    if (auto r = publisher->publish_in_order(batch); !r.status) {
      std::fprintf(stderr, "batched publish failed\n");
      return 1;
    }
  double batched = ((n + 49) / 50 * 50) / seconds_since(t);

  // The buffer: N messages waiting, drained by FleetTelemetry.
  auto db = std::move(Database::open(dir + "/branchcast.db").value());
  auto repo = TelemetryRepository::open(*db).value();
  std::vector<TelemetryRecord> backlog(static_cast<size_t>(n), TelemetryRecord{0, "play", payload, kT0});
  if (!repo.enqueue(backlog)) return 1;
  NullLogSink sink;
  test::PostedQueue loop;
  auto telemetry = std::move(FleetTelemetry::start(settings, *db, make_mosquitto_publisher(), loop.poster(), sink,
                                                   FleetTelemetryOptions{}, kT0)
                                 .value());
  HealthSnapshot health;
  health.started = kT0;
  t = Clock::now();
  test::settle(*telemetry, loop, kT0, health);
  double drain = (n + 1) / seconds_since(t);  // the backlog and this period's heartbeat
  if (telemetry->buffer().depth != 0) {
    std::fprintf(stderr, "drain left %lld messages\n", static_cast<long long>(telemetry->buffer().depth));
    return 1;
  }

  // Collect on the loop thread.
  auto log = PlayLogRepository::open(*db).value();
  std::vector<double> ms;
  for (int round = 1; round <= 30; ++round) {
    for (const auto& row : plays(100, round * 100))
      if (!log.add(row.record)) return 1;
    TimePoint now = kT0 + std::chrono::minutes(round);
    auto c = Clock::now();
    telemetry->health_from([health](TimePoint) { return health; });
    telemetry->tick(Turn{now, {}});
    ms.push_back(seconds_since(c) * 1000.0);
    test::settle(*telemetry, loop, now, health);
  }
  std::sort(ms.begin(), ms.end());
  double p50 = ms[ms.size() / 2], p99 = ms.back();

  std::printf("baseline, one connection per message: %.0f msg/s\n", baseline);
  std::printf("publish_in_order, one connection per 50: %.0f msg/s = %.2fx baseline\n", batched, batched / baseline);
  std::printf("drain %d buffered messages through FleetTelemetry (SQLite read, batches of 50, fsync'd deletes): "
              "%.0f msg/s = %.2fx baseline\n",
              n, drain, drain / baseline);
  std::printf("collect (100 plays + heartbeat, fsync'd) on the loop thread: p50 %.2f ms, max %.2f ms "
              "= %.2fx / %.2fx of a 33.3 ms frame\n",
              p50, p99, p50 / 33.3, p99 / 33.3);
  std::filesystem::remove_all(dir);
  return 0;
}
