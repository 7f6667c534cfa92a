#include "services/fleet_telemetry.h"

#include "common/worker_thread.h"

namespace branchcast {
namespace {

constexpr const char* kPlayCursor = "play_log_id";
constexpr const char* kPresenceCursor = "presence_start_ms";
constexpr int kMaxPlayBatchesPerCollect = 20;

int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }

}  // namespace

Result<std::unique_ptr<FleetTelemetry>> FleetTelemetry::start(const ApplianceSettings& settings, Database& db,
                                                              std::unique_ptr<MqttPublisher> publisher, Post post,
                                                              LogSink& sink, FleetTelemetryOptions options,
                                                              TimePoint now) {
  if (!settings.telemetry.mqtt) return make_error("telemetry.mqtt is not set");
  std::string display = display_url(*settings.telemetry.mqtt);
  auto target = parse_provider_url(*settings.telemetry.mqtt, options.secrets);
  if (!target) return make_error("telemetry.mqtt: " + target.error().message);
  if (target->kind != ProviderKind::kMqtt) return make_error("telemetry.mqtt: " + display + " is not mqtt:// or mqtts://");
  auto endpoint = mqtt_endpoint(*target);
  if (!endpoint) return make_error("telemetry.mqtt: " + endpoint.error().message);
  endpoint->qos = std::max(endpoint->qos, 1);  // rows are deleted on the broker's ack
  endpoint->retain = false;
  endpoint->timeout = options.publish_timeout;
  auto repo = TelemetryRepository::open(db);
  if (!repo) return repo.error();
  auto plays = PlayLogRepository::open(db);
  if (!plays) return plays.error();
  auto presence = PresenceRepository::open(db);
  if (!presence) return presence.error();
  std::unique_ptr<FleetTelemetry> t(new FleetTelemetry(settings, std::move(*repo), std::move(*plays),
                                                       std::move(*presence), std::move(*endpoint),
                                                       target->secrets, std::move(publisher), std::move(post), sink,
                                                       std::move(options)));
  // First start: begin after what is already stored (history is not replayed to the fleet).
  auto play_cursor = t->repo_.state(kPlayCursor);
  auto presence_cursor = t->repo_.state(kPresenceCursor);
  if (!play_cursor) return play_cursor.error();
  if (!presence_cursor) return presence_cursor.error();
  std::vector<std::pair<std::string, int64_t>> cursors;
  if (!*play_cursor) {
    auto last = t->plays_.last_id();
    if (!last) return last.error();
    cursors.emplace_back(kPlayCursor, *last);
  }
  if (!*presence_cursor) {
    auto last = t->presence_.last_start();
    if (!last) return last.error();
    cursors.emplace_back(kPresenceCursor, last->has_value() ? ms(**last) : 0);
  }
  if (!cursors.empty())
    if (Status s = t->repo_.enqueue({}, cursors); !s) return s.error();
  t->refresh_buffer_status();
  t->schedule_.start(now);
  return t;
}

FleetTelemetry::FleetTelemetry(const ApplianceSettings& settings, TelemetryRepository repo,
                               PlayLogRepository plays, PresenceRepository presence, MqttMessage endpoint,
                               std::vector<std::string> secrets, std::unique_ptr<MqttPublisher> publisher, Post post,
                               LogSink& sink, FleetTelemetryOptions options)
    : identity_{settings.branch.id, options.version, settings.presence.min_reported},
      repo_(std::move(repo)),
      plays_(std::move(plays)),
      presence_(std::move(presence)),
      endpoint_(std::move(endpoint)),
      secrets_(std::move(secrets)),
      publisher_(std::move(publisher)),
      post_(std::move(post)),
      log_(sink, "telemetry"),
      options_(std::move(options)),
      schedule_(options_.heartbeat_every, options_.backoff),
      worker_(std::make_unique<WorkerThread>()) {
  if (!options_.random_unit)
    options_.random_unit = [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); };
}

FleetTelemetry::~FleetTelemetry() {
  *alive_ = false;
  worker_.reset();
}

TimePoint FleetTelemetry::next_deadline(TimePoint) const {
  if (outcome_) return TimePoint::min();
  return schedule_.next_deadline(buffer_.depth);
}

void FleetTelemetry::tick(const Turn& turn) {
  const TimePoint now = turn.now;
  if (outcome_) finish_publish(now);
  if (schedule_.collect_due(now)) collect(now, health_ ? health_(now) : HealthSnapshot{});
  if (schedule_.publish_due(now, buffer_.depth)) publish(now);
}

void FleetTelemetry::collect(TimePoint now, const HealthSnapshot& health) {
  schedule_.collected(now);
  Batch batch;
  if (Status s = collect_plays(now, batch); !s) log_.error("proof of play not queued for the fleet: " + s.error().message);
  if (Status s = collect_presence(now, batch); !s)
    log_.error("presence periods not queued for the fleet: " + s.error().message);
  refresh_buffer_status();
  TelemetryBufferStatus status = buffer_;
  status.depth += static_cast<int64_t>(batch.messages.size());
  batch.messages.push_back({0, "heartbeat", heartbeat_payload(identity_, health, status, now), now});
  // One transaction (one fsync on the loop thread): the messages and the cursors they advance.
  if (Status s = repo_.enqueue(batch.messages, batch.cursors); !s)
    log_.error("telemetry not queued (collected again next time): " + s.error().message);
  auto dropped = repo_.enforce(options_.bound, now);
  if (!dropped) log_.error("telemetry buffer not trimmed: " + dropped.error().message);
  else if (*dropped > 0) log_.warn("telemetry buffer full: dropped " + std::to_string(*dropped) + " old messages");
  refresh_buffer_status();
}

Status FleetTelemetry::collect_plays(TimePoint now, Batch& batch) {
  auto cursor = repo_.state(kPlayCursor);
  if (!cursor) return cursor.error();
  int64_t after = cursor->value_or(0);
  for (int n = 0; n < kMaxPlayBatchesPerCollect; ++n) {
    auto rows = plays_.after(after, options_.play_batch);
    if (!rows) return rows.error();
    if (rows->empty()) break;
    batch.messages.push_back({0, "play", play_payload(identity_, *rows), now});
    after = rows->back().id;
    if (static_cast<int>(rows->size()) < options_.play_batch) break;
  }
  batch.cursors.emplace_back(kPlayCursor, after);
  return {};
}

Status FleetTelemetry::collect_presence(TimePoint now, Batch& batch) {
  auto cursor = repo_.state(kPresenceCursor);
  if (!cursor) return cursor.error();
  auto rows = presence_.starting_after(TimePoint(Duration(cursor->value_or(0))));
  if (!rows) return rows.error();
  if (rows->empty()) return {};
  for (auto& payload : presence_payloads(identity_, *rows)) batch.messages.push_back({0, "presence", std::move(payload), now});
  batch.cursors.emplace_back(kPresenceCursor, ms(rows->back().start));
  return {};
}

void FleetTelemetry::publish(TimePoint now) {
  auto rows = repo_.oldest(options_.publish_batch);
  if (!rows) {
    log_.error("telemetry buffer unreadable: " + rows.error().message);
    schedule_.publishing();
    schedule_.published(false, now, options_.random_unit());
    return;
  }
  if (rows->empty()) return;
  std::vector<MqttMessage> messages;
  std::vector<int64_t> ids;
  for (const auto& r : *rows) {
    MqttMessage m = endpoint_;
    m.topic = telemetry_topic(endpoint_.topic, identity_.branch, r.kind);
    m.payload = with_sequence(r.payload, r.id);
    messages.push_back(std::move(m));
    ids.push_back(r.id);
  }
  schedule_.publishing();
  MqttPublisher* publisher = publisher_.get();
  std::shared_ptr<bool> alive = alive_;
  Post post = post_;
  worker_->submit([this, publisher, alive, post, messages = std::move(messages), ids = std::move(ids)] {
    MqttBatchResult r = publisher->publish_in_order(messages);
    Outcome o{std::vector<int64_t>(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(r.acknowledged)),
              r.status};
    post([this, alive, o = std::move(o)]() mutable {
      if (*alive) outcome_ = std::move(o);
    });
  });
}

void FleetTelemetry::finish_publish(TimePoint now) {
  Outcome o = std::move(*outcome_);
  outcome_.reset();
  if (!o.acknowledged.empty())
    if (Status s = repo_.remove(o.acknowledged); !s)
      log_.error("delivered telemetry not removed from the buffer (it will be sent again): " + s.error().message);
  bool ok = o.status.ok();
  if (!ok && schedule_.consecutive_failures() == 0)
    log_.warn("broker unreachable, buffering telemetry: " + scrub(o.status.error().message, secrets_));
  if (ok && schedule_.consecutive_failures() > 0) log_.info("broker reachable again: delivering buffered telemetry");
  schedule_.published(ok, now, options_.random_unit());
  refresh_buffer_status();
}

void FleetTelemetry::refresh_buffer_status() {
  if (auto d = repo_.depth(); d) buffer_.depth = *d;
  if (auto t = repo_.dropped_total(); t) buffer_.dropped_total = *t;
}

}  // namespace branchcast
