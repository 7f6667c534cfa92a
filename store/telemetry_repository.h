// The fleet-telemetry buffer in SQLite (component "telemetry"): messages waiting for the broker,
// the cursors of what has already been turned into messages, and the count of dropped messages.
//
// Tables: telemetry_buffer (id AUTOINCREMENT, so ids are never reused and serve as the message
// sequence number; kind "heartbeat" | "play" | "presence"; the JSON payload; creation time),
// telemetry_state (name -> integer: cursors such as the last play_log id turned into a message,
// and "dropped_total"). Payloads hold aggregates and content references only (services/telemetry.h):
// never an address, patron or device identifier.
//
// Every mutating call is one transaction; Database opens with synchronous=FULL, so what a call
// returned ok for survives kill -9 and power loss. Enqueueing messages and advancing the cursors
// they came from happen in the same transaction, so each source row becomes a message exactly once.
// Thread: the thread that owns the Database (the loop).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "store/database.h"

namespace branchcast {

struct TelemetryRecord {
  int64_t id = 0;            // assigned by enqueue
  std::string kind;          // "heartbeat", "play", "presence"
  std::string payload;       // JSON object
  TimePoint created{};
};

// How large the buffer may grow while the broker is unreachable.
struct TelemetryBufferBound {
  int64_t max_rows = 20'000;
  Duration heartbeat_max_age{24 * 3'600'000LL};   // older heartbeats say nothing useful
  Duration max_age{30LL * 24 * 3'600'000};        // anything older is dropped
};

class TelemetryRepository {
 public:
  // Applies the telemetry migrations. `db` must outlive the repository. Errors name the file.
  static Result<TelemetryRepository> open(Database& db);

  // Appends `messages` (ids are assigned in order) and sets each (cursor name, value), atomically.
  Status enqueue(const std::vector<TelemetryRecord>& messages,
                 const std::vector<std::pair<std::string, int64_t>>& cursors = {});
  // The oldest `limit` messages, by id.
  Result<std::vector<TelemetryRecord>> oldest(int limit);
  // Deletes the messages with these ids (acknowledged by the broker).
  Status remove(const std::vector<int64_t>& ids);
  Result<int64_t> depth();

  // Drops messages beyond the bound: heartbeats older than heartbeat_max_age, anything older
  // than max_age, then while over max_rows the oldest heartbeats first (all but the newest)
  // and then the oldest of the rest. Adds the number dropped to "dropped_total" and returns it.
  Result<int64_t> enforce(const TelemetryBufferBound& bound, TimePoint now);

  // A value of telemetry_state; nullopt when never set.
  Result<std::optional<int64_t>> state(const std::string& name);
  Result<int64_t> dropped_total();

 private:
  explicit TelemetryRepository(Database& db) : db_(&db) {}
  Result<int64_t> delete_where(std::string_view where_sql, int64_t value);  // binds ?1
  Database* db_;
};

}  // namespace branchcast
