// Read access to proof of play (the media component's `play_log` table, read by SQL with the
// columns issue 3 names, until its repository lands in main) and presence counts (through the
// BLE component's PresenceRepository) for the audience report. Owns no table. A missing
// play_log means "nothing recorded yet".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/presence_period.h"
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

class AudienceRepository {
 public:
  explicit AudienceRepository(Database& db) : db_(&db) {}
  // Plays starting in [from, to), by start. Empty when play_log does not exist.
  Result<std::vector<PlayedItem>> plays(TimePoint from, TimePoint to);
  // Presence periods overlapping [from, to), by start (PresenceRepository::between).
  Result<std::vector<PresencePeriod>> presence(TimePoint from, TimePoint to);

 private:
  Result<bool> has_table(const char* name);
  template <typename Row, typename Read>
  Result<std::vector<Row>> rows(const char* table, const char* sql, TimePoint from, TimePoint to, Read read);
  Database* db_;
};

}  // namespace branchcast
