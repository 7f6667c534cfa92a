// Health of the running appliance as a value, and the two HTTP answers built from it (pure).
//
// The loop owns one HealthSnapshot, updates it as things happen (item changes, frames presented,
// feed fetches, presence level, outbox depth, sensors) and hands a copy to the health server's
// handler. build_healthz()/build_metrics() never touch the OS; `now` is passed in.
//
// Nothing identifying a device or patron is ever put in a snapshot: only screen, rule, item and
// feed ids, counts and levels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "config/settings.h"

namespace branchcast {

// Raspberry Pi sensors read from sysfs (services/sysfs_sensors.h). Unset when not present.
struct SensorReadings {
  std::optional<double> cpu_temperature_c;
  std::optional<uint32_t> throttled;  // get_throttled bit mask (bit 0 under-voltage now, ...)
};

struct ScreenHealth {
  std::string id;
  bool awake_by_plan = true;       // Scheduler::awake_at(now): false = off by plan, not an outage
  std::string mode = "item";       // "item" | "standby" | "override" | "black" (CEC fallback)
  std::string rule;                // current rule, "default", "standby", "override"
  std::string kind;                // item kind ("image", "video", ...)
  std::string item;                // simulate's fourth column (path, card id, text's first 40 chars)
  std::optional<TimePoint> item_started;
  std::optional<TimePoint> last_presented;  // last time the compositor presented a frame
  // The last item that failed and was skipped (cleared when a later item plays). With a frame
  // presented the screen is degraded (200, a note); with none it is down (503).
  std::optional<std::string> error;
  uint64_t transitions = 0;
  double last_gap_ms = 0;          // time between the end of one item and the next's first frame
  double max_gap_ms = 0;
  std::optional<bool> tv_obeyed;   // CEC: did the TV follow the last power command (unset: no CEC)
};

struct FeedHealthLine {  // (feeds/feed_service.h has the full FeedHealth)
  std::string id;
  std::optional<TimePoint> last_success;  // last fetch that produced usable data
  bool last_attempt_failed = false;
};

struct HealthSnapshot {
  TimePoint started{};                     // process start (for uptime)
  bool first_frame = false;                // READY: the first frame has been presented
  bool clock_trusted = true;               // ClockTrust::trusted(now)
  bool config_reload_refused = false;      // the last reload attempt was invalid (last good plays)
  bool no_display = false;                 // running without a display (service; retried with backoff)
  std::vector<ScreenHealth> screens;
  std::optional<PresenceLevel> presence;   // unset when presence counting is disabled
  std::vector<FeedHealthLine> feeds;
  std::optional<int64_t> outbox_depth;     // notifications waiting to be sent
  std::optional<int64_t> telemetry_buffered;  // fleet telemetry waiting for the broker (unset: off)
  int64_t telemetry_dropped = 0;           // fleet telemetry dropped to keep its buffer bounded
  SensorReadings sensors;
  // State storage (store/state_database.h): "" when the database is fine, else what was done
  // ("state storage degraded: ..."). The screens play on: a note, not a reason for 503.
  std::string storage_problem;
  // Not the configuration asked for (services/content_versions.h): an older valid content version
  // or the built-in card plays; why, for staff ("" when the configuration asked for plays).
  std::string config_problem;
  bool storage_in_memory = false;
  int64_t proof_of_play_pending = 0;  // rows kept in memory until they can be written
  int64_t proof_of_play_dropped = 0;  // rows dropped to keep that memory bounded
};

struct HealthThresholds {
  Duration frame_stale{15'000};  // an awake screen with no frame presented for this long is down
};

struct HttpReply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// GET /healthz: 200 "ok" (plus one informational line per notable state) when every screen is
// playing as planned; 503 "unhealthy" with one "reason: ..." line per problem otherwise. A screen
// that is off by plan (outside opening hours / power schedule) is healthy, and so is one that
// skipped a bad item but still shows a picture (degraded: a note).
HttpReply build_healthz(const HealthSnapshot& s, TimePoint now, const HealthThresholds& t = {});

// GET /metrics: Prometheus text exposition format 0.0.4.
HttpReply build_metrics(const HealthSnapshot& s, TimePoint now, const HealthThresholds& t = {});

// Routes one request: "GET /healthz", "GET /metrics" (HEAD too); 404 for other paths, 405 for
// other methods.
HttpReply route_health_request(const std::string& method, const std::string& path,
                               const HealthSnapshot& s, TimePoint now, const HealthThresholds& t = {});

// Escapes a Prometheus label value (backslash, double quote, newline).
std::string escape_label(const std::string& v);

}  // namespace branchcast
