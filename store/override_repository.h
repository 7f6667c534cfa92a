// The emergency override (formats.md `branchcast override`): one row, written by the CLI, read by
// the running appliance (services/override_watcher.h polls it).
//
// Single row (id = 1); every write bumps `revision` so a reader can tell a change cheaply. Times
// are stored as Unix milliseconds, UTC. One thread per Database (store/database.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/time.h"
#include "store/database.h"

namespace branchcast {

struct StoredOverride {
  std::string text;
  std::optional<TimePoint> until;  // nullopt: until cleared
  TimePoint set_at{};
  int64_t revision = 0;
};

class OverrideRepository {
 public:
  // Applies the "override" migrations. The Database must outlive the repository.
  static Result<OverrideRepository> open(Database& db);

  // Replaces any override. `text` must be non-empty (checked by the caller).
  Status set(const std::string& text, std::optional<TimePoint> until, TimePoint now);
  // Removes the override (a no-op that still bumps the revision when there is none).
  Status clear(TimePoint now);
  // The override in force at `now`: nullopt when none was set, it was cleared, or it expired.
  Result<std::optional<StoredOverride>> active(TimePoint now);
  // Increases with every set/clear; 0 before the first.
  Result<int64_t> revision();

 private:
  explicit OverrideRepository(Database& db) : db_(&db) {}
  Database* db_;
};

}  // namespace branchcast
