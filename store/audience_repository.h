// Read-only access to proof of play (the media component's `play_log` table) and presence counts
// (the BLE component's `presence_counts` table) for the audience report. Owns no table and
// applies no migration: it reads what those components wrote, and reports a missing table as
// "nothing recorded yet". Column names as of issue 3 / issue 5 (see docs/services.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "store/database.h"

namespace branchcast {

struct PlayedItem {
  std::string screen;
  std::string rule;
  std::string kind;
  std::string item;
  TimePoint start{};
  double seconds = 0;  // how long it was on screen
};

struct PresencePeriod {
  TimePoint start{};
  TimePoint end{};
  std::string screen;  // "" or "*": the whole appliance
  int64_t devices = 0;
};

class AudienceRepository {
 public:
  explicit AudienceRepository(Database& db) : db_(&db) {}
  // Plays starting in [from, to), by start. Empty when play_log does not exist.
  Result<std::vector<PlayedItem>> plays(TimePoint from, TimePoint to);
  // Presence periods overlapping [from, to), by start. Empty when presence_counts does not exist.
  Result<std::vector<PresencePeriod>> presence(TimePoint from, TimePoint to);

 private:
  Result<bool> has_table(const char* name);
  template <typename Row, typename Read>
  Result<std::vector<Row>> rows(const char* table, const char* sql, TimePoint from, TimePoint to, Read read);
  Database* db_;
};

}  // namespace branchcast
