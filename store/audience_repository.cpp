#include "store/audience_repository.h"

#include "store/play_log_repository.h"
#include "store/presence_repository.h"

namespace branchcast {

Result<std::vector<PlayRecord>> AudienceRepository::plays(TimePoint from, TimePoint to) {
  auto repo = PlayLogRepository::open(*db_);  // the media component's own reader and schema
  if (!repo) return repo.error();
  return repo->between("", from, to);
}

Result<std::vector<PresencePeriod>> AudienceRepository::presence(TimePoint from, TimePoint to) {
  auto repo = PresenceRepository::open(*db_);  // the BLE component's own reader and schema
  if (!repo) return repo.error();
  return repo->between(from, to);
}

}  // namespace branchcast
