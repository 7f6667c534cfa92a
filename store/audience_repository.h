// Read access for the audience report: proof of play (through the media component's
// PlayLogRepository) and presence counts (through the BLE component's PresenceRepository), as the
// shared value types. Owns no table; opening either repository applies its migrations, so a
// database where nothing was recorded yet reads as empty.
#pragma once

#include <vector>

#include "common/play_record.h"
#include "common/presence_period.h"
#include "common/result.h"
#include "common/time.h"
#include "store/database.h"

namespace branchcast {

class AudienceRepository {
 public:
  explicit AudienceRepository(Database& db) : db_(&db) {}
  // Plays of every screen starting in [from, to), by start (PlayLogRepository::between).
  Result<std::vector<PlayRecord>> plays(TimePoint from, TimePoint to);
  // Presence periods overlapping [from, to), by start (PresenceRepository::between).
  Result<std::vector<PresencePeriod>> presence(TimePoint from, TimePoint to);

 private:
  Database* db_;
};

}  // namespace branchcast
