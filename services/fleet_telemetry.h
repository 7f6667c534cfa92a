// Fleet telemetry on the run loop (issue item 9): heartbeats, proof of play and presence periods
// buffered in SQLite (store/telemetry_repository.h) and published to the MQTT broker of
// telemetry.mqtt on a worker thread.
//
// A Ticker (common/ticker.h) of the run loop; tick(turn) at next_deadline(now):
//   - every heartbeat_every: enqueues the play_log rows added since the last time (batches of
//     play_batch), the presence periods finished since the last time and a heartbeat, in one
//     transaction that also advances the cursors (each source row exactly once), then enforces
//     the bound;
//   - when messages wait and no publish is in flight: hands the oldest publish_batch to the
//     worker, which publishes them in order on one connection (QoS 1, each after the previous
//     one's ack). The result comes back through `post`; acknowledged rows are deleted at the
//     next tick. A failure backs off exponentially with jitter (services/telemetry.h), logs once
//     per outage naming the broker's host:port (never credentials) and keeps everything buffered.
// Delivery is at least once: a crash between the broker's ack and the delete re-sends those
// messages with the same "seq". When no cursor is stored yet (first start), history already in
// the database is not sent: telemetry reports what happens from then on.
//
// Loop thread only, except that `post` is called from the worker.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "common/log.h"
#include "common/ticker.h"
#include "config/settings.h"
#include "notify/mqtt.h"
#include "notify/provider_url.h"
#include "services/health_report.h"
#include "services/telemetry.h"
#include "store/database.h"
#include "store/play_log_repository.h"
#include "store/presence_repository.h"
#include "store/telemetry_repository.h"

namespace branchcast {

class WorkerThread;

struct FleetTelemetryOptions {
  std::string version;                     // the appliance version for heartbeats
  Duration heartbeat_every{60'000};
  int play_batch = 100;                    // play_log rows per "play" message
  int publish_batch = 50;                  // messages per broker connection
  Duration publish_timeout{10'000};        // per message, after connecting
  TelemetryBufferBound bound;
  BackoffPolicy backoff{Duration(2'000), Duration(5 * 60'000)};
  SecretSource secrets = system_secret_source();  // ${VAR} in the URL
  std::function<double()> random_unit;     // [0, 1) for the jitter; default: a seeded PRNG
};

class FleetTelemetry final : public Ticker {
 public:
  using Post = std::function<void(std::function<void()>)>;  // thread-safe: run on the loop

  // Parses settings.telemetry.mqtt (must be set; the error names only scheme://host), opens the
  // telemetry, play_log and presence tables on `db` and starts the worker. `db` and `sink` must
  // outlive the object.
  static Result<std::unique_ptr<FleetTelemetry>> start(const ApplianceSettings& settings, Database& db,
                                                       std::unique_ptr<MqttPublisher> publisher, Post post,
                                                       LogSink& sink, FleetTelemetryOptions options,
                                                       TimePoint now);
  ~FleetTelemetry();  // waits for a publish in progress, drops its result (the rows stay buffered)

  // The heartbeat's health snapshot at `now`, asked for when a collect is due (unset: an empty
  // snapshot). The appliance passes its health(now).
  using HealthFn = std::function<HealthSnapshot(TimePoint now)>;
  void health_from(HealthFn fn) { health_ = std::move(fn); }

  // Ticker.
  TimePoint next_deadline(TimePoint now) const override;
  void tick(const Turn& turn) override;
  // The wall clock stepped: pending collect and publish deadlines keep the wait they had left.
  void clock_stepped(Duration step, const Turn&) override { schedule_.clock_stepped(step); }

  TelemetryBufferStatus buffer() const { return buffer_; }
  bool publishing() const { return schedule_.in_flight(); }
  const std::string& base_topic() const { return endpoint_.topic; }

 private:
  struct Outcome {
    std::vector<int64_t> acknowledged;
    Status status;
  };
  FleetTelemetry(const ApplianceSettings& settings, TelemetryRepository repo,
                 PlayLogRepository plays, PresenceRepository presence, MqttMessage endpoint,
                 std::vector<std::string> secrets, std::unique_ptr<MqttPublisher> publisher, Post post,
                 LogSink& sink, FleetTelemetryOptions options);
  struct Batch {  // what one collect enqueues, in one transaction
    std::vector<TelemetryRecord> messages;
    std::vector<std::pair<std::string, int64_t>> cursors;
  };
  void collect(TimePoint now, const HealthSnapshot& health);
  Status collect_plays(TimePoint now, Batch& batch);
  Status collect_presence(TimePoint now, Batch& batch);
  void publish(TimePoint now);
  void finish_publish(TimePoint now);
  void refresh_buffer_status();

  TelemetryIdentity identity_;
  TelemetryRepository repo_;
  PlayLogRepository plays_;
  PresenceRepository presence_;
  MqttMessage endpoint_;                 // broker, credentials, base topic
  std::vector<std::string> secrets_;     // scrubbed from every error
  std::unique_ptr<MqttPublisher> publisher_;
  Post post_;
  HealthFn health_;
  Logger log_;
  FleetTelemetryOptions options_;
  TelemetrySchedule schedule_;
  TelemetryBufferStatus buffer_;
  std::optional<Outcome> outcome_;       // a publish that came back, applied at the next tick
  std::mt19937_64 rng_{std::random_device{}()};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::unique_ptr<WorkerThread> worker_;  // last: joined first
};

}  // namespace branchcast
