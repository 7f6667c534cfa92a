// Proof of play: one row per item shown on a screen (issue 3). Owns the "play_log" tables.
//
// Rows carry content references only (file paths as written in the playlist, card ids, the first
// characters of a text item), never anything about patrons or devices. Loop thread only (the
// Database it is given must outlive it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/play_record.h"
#include "common/result.h"
#include "common/time.h"
#include "store/database.h"

namespace branchcast {

class PlayLogRepository {
 public:
  // Applies the play_log migrations. Error names the database file.
  static Result<PlayLogRepository> open(Database& db);

  Status add(const PlayRecord& record);
  // Rows of `screen` (all screens if empty) whose start is in [from, to), oldest first.
  Result<std::vector<PlayRecord>> between(const std::string& screen, TimePoint from, TimePoint to);
  // Up to `limit` rows with an id greater than `after_id`, by id (telemetry's cursor).
  Result<std::vector<PlayLogRow>> after(int64_t after_id, int limit);
  // The largest id stored, 0 when empty.
  Result<int64_t> last_id();

 private:
  explicit PlayLogRepository(Database& db) : db_(&db) {}
  Database* db_;
};

}  // namespace branchcast
