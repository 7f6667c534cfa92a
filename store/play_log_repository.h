// Proof of play: one row per item shown on a screen (issue 3). Owns the "play_log" tables.
//
// Rows carry content references only (file paths as written in the playlist, card ids, the first
// characters of a text item), never anything about patrons or devices. Loop thread only (the
// Database it is given must outlive it).
#pragma once

#include <cstdint>
#include <deque>
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

  // Rows kept in memory at most while they cannot be written (about 200 bytes each).
  static constexpr size_t kMaxPending = 4096;

  // Stores the record. When the write fails (disk full, read-only or damaged storage) the record
  // is kept in memory, oldest first, at most kMaxPending (beyond, the oldest kept row is dropped
  // and counted), and every later add() or flush() first writes what is kept, in order. Returns
  // the write error when `record` could not be stored now (it is kept); ok otherwise.
  Status add(const PlayRecord& record);
  // Writes the kept rows, oldest first; stops at the first failure (they stay kept).
  Status flush();
  size_t pending() const { return pending_.size(); }
  uint64_t dropped() const { return dropped_; }
  // Rows of `screen` (all screens if empty) whose start is in [from, to), oldest first.
  Result<std::vector<PlayRecord>> between(const std::string& screen, TimePoint from, TimePoint to);
  // Up to `limit` rows with an id greater than `after_id`, by id (telemetry's cursor).
  Result<std::vector<PlayLogRow>> after(int64_t after_id, int limit);
  // The largest id stored, 0 when empty.
  Result<int64_t> last_id();

 private:
  explicit PlayLogRepository(Database& db) : db_(&db) {}
  Status insert(const PlayRecord& record);
  Database* db_;
  std::deque<PlayRecord> pending_;
  uint64_t dropped_ = 0;
};

}  // namespace branchcast
