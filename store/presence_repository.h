// Stored presence counts: one row per report period and screen (the "presence" component's tables).
//
// Only counts are stored, one PresencePeriod (common/presence_period.h) a row: period start/end,
// screen id, the period's figure (mean devices present, rounded), its peak and the number of samples
// behind it. Never an address, hash, salt or payload.
// Used from one thread (the owner of the Database).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/presence_period.h"
#include "common/result.h"
#include "common/time.h"
#include "store/database.h"

namespace branchcast {

class PresenceRepository {
 public:
  // Applies the presence migrations. `db` must outlive the repository.
  static Result<PresenceRepository> open(Database& db);

  // Inserts or replaces the row of (screen, start).
  Status record(const PresencePeriod& period);
  // Rows whose period overlaps [from, to), by start then screen.
  Result<std::vector<PresencePeriod>> between(TimePoint from, TimePoint to);
  // Rows whose period starts after `after`, by start then screen (telemetry's cursor).
  Result<std::vector<PresencePeriod>> starting_after(TimePoint after);
  // The latest period start stored; nullopt when empty.
  Result<std::optional<TimePoint>> last_start();

 private:
  explicit PresenceRepository(Database& db) : db_(&db) {}
  // `where_sql` uses ?1 (bound to a) and optionally ?2 (bound to b).
  Result<std::vector<PresencePeriod>> select(std::string_view where_sql, int64_t a, int64_t b);
  Database* db_;
};

}  // namespace branchcast
