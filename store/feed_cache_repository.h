// FeedCache (feeds/feed_cache.h) in SQLite: table feed_cache, migrations component "feed_cache".
// One row per feed id. Loop thread only (the Database's thread).
#pragma once

#include "feeds/feed_cache.h"
#include "store/database.h"

namespace branchcast {

class FeedCacheRepository final : public FeedCache {
 public:
  // Applies the "feed_cache" migrations; fails with the database's error.
  static Result<std::unique_ptr<FeedCacheRepository>> open(Database& db);

  Result<std::optional<CachedFeed>> load(const std::string& feed_id) override;
  Status store(const CachedFeed& feed) override;
  Status confirm(const std::string& feed_id, TimePoint at) override;
  Status record_failure(const std::string& feed_id, TimePoint at, const std::string& error) override;
  Result<std::vector<FeedStatus>> statuses() override;

 private:
  explicit FeedCacheRepository(Database& db) : db_(db) {}
  Database& db_;
};

}  // namespace branchcast
