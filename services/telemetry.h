// Fleet telemetry (pure): the loop's facts turned into MQTT payloads, and when to send them.
//
// Three kinds of message, each a JSON object published to <base topic>/<branch id>/<kind>
// (docs/telemetry.md has an example of each):
//   heartbeat - every heartbeat_every: branch, version, uptime, health, each screen's mode, rule,
//               kind, item and gaps, presence level, feed ages, outbox depth, Pi sensors, buffer
//               depth and the count of messages dropped from the buffer;
//   play      - a batch of proof-of-play rows (content references only);
//   presence  - one finished presence period: per screen the mean and peak device counts, each
//               printed as "<N" when below presence.min_reported (as `presence report` does).
// Every payload carries "seq", the buffer row id, increasing per appliance, so a consumer can
// drop the duplicates QoS 1 may deliver. Nothing here ever sees an address, a patron or device
// identifier; free text that reaches a payload (item references, rule names, errors) has
// anything shaped like a Bluetooth/MAC address replaced by "[redacted]" as a second line of
// defence.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock_step.h"
#include "common/play_record.h"
#include "common/presence_period.h"
#include "common/time.h"
#include "notify/backoff.h"
#include "services/health_report.h"

namespace branchcast {

struct TelemetryIdentity {
  std::string branch;    // branch.id
  std::string version;   // the appliance version
  int min_reported = 3;  // presence.min_reported
};

struct TelemetryBufferStatus {
  int64_t depth = 0;          // messages waiting for the broker
  int64_t dropped_total = 0;  // messages ever dropped to keep the buffer bounded
};

// "<base>/<branch>/<kind>"; '/', '+' and '#' in the branch id become '_' (one topic level).
std::string telemetry_topic(std::string_view base, std::string_view branch, std::string_view kind);

std::string heartbeat_payload(const TelemetryIdentity& id, const HealthSnapshot& health,
                              const TelemetryBufferStatus& buffer, TimePoint now);
// One message for a batch of play_log rows (in the given order).
std::string play_payload(const TelemetryIdentity& id, const std::vector<PlayLogRow>& rows);
// One message per period: rows grouped by start (rows must be sorted by start, as the
// repository returns them).
std::vector<std::string> presence_payloads(const TelemetryIdentity& id, const std::vector<PresencePeriod>& rows);

// The payload (a JSON object as built above) with "seq": seq added as its first member.
std::string with_sequence(const std::string& payload, int64_t seq);

// Replaces every MAC-address-shaped run (six hex pairs separated by ':' or '-') with "[redacted]".
std::string redact_addresses(std::string text);

// When to collect (heartbeat, new plays and presence periods) and when to publish, with
// exponential backoff and full jitter while the broker is unreachable. At most one publish is in
// flight at a time.
class TelemetrySchedule {
 public:
  TelemetrySchedule(Duration heartbeat_every, BackoffPolicy backoff, Duration min_retry = Duration(1'000))
      : every_(heartbeat_every), backoff_(backoff), min_retry_(min_retry) {}

  void start(TimePoint now) { next_collect_ = now; next_publish_ = now; }
  bool collect_due(TimePoint now) const { return now >= next_collect_; }
  void collected(TimePoint now) { next_collect_ = now + every_; }

  bool publish_due(TimePoint now, int64_t depth) const { return !in_flight_ && depth > 0 && now >= next_publish_; }
  void publishing() { in_flight_ = true; }
  // The publish came back: `delivered_all` when every message sent was acknowledged. On failure
  // the next attempt waits full_jitter_delay(attempt, unit), at least min_retry; unit is uniform
  // in [0, 1) from the caller's random source.
  void published(bool delivered_all, TimePoint now, double unit);

  TimePoint next_deadline(int64_t depth) const;
  // The wall clock stepped (common/clock_step.h): the next collect and publish keep the wait they
  // had left, instead of stopping heartbeats for as long as the clock went back.
  void clock_stepped(Duration step) {
    next_collect_ = shift_deadline(next_collect_, step);
    next_publish_ = shift_deadline(next_publish_, step);
  }
  bool in_flight() const { return in_flight_; }
  int consecutive_failures() const { return failures_; }
  TimePoint next_publish() const { return next_publish_; }

 private:
  Duration every_;
  BackoffPolicy backoff_;
  Duration min_retry_;
  TimePoint next_collect_ = TimePoint::min();
  TimePoint next_publish_ = TimePoint::min();
  bool in_flight_ = false;
  int failures_ = 0;
};

}  // namespace branchcast
