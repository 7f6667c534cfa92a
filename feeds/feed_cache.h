// FeedCache port: the last good copy of each feed and its fetch status, kept across restarts.
// Implemented by store/feed_cache_repository (SQLite); fakes in tests. Called on the loop thread.
//
// Nothing secret is stored: rows are keyed by feed id; the source is kept only as a hash (to tell
// when the configured URL changed), never as the URL itself (private calendar URLs carry keys).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace branchcast {

struct CachedFeed {
  std::string feed_id;
  std::string source_key;                    // hash of the source URL (feed_source_key)
  std::string body;                          // raw bytes as fetched
  std::string charset;                       // from Content-Type
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  TimePoint fetched_at{};                    // when this body was last confirmed (200 or 304)
  std::string parse_status = "ok";           // "ok" or the parse error
};

struct FeedStatus {
  std::string feed_id;
  std::optional<TimePoint> last_success;     // last 200/304 that parsed
  std::optional<TimePoint> last_attempt;
  std::string last_error;                    // "" when the last attempt succeeded
  std::optional<TimePoint> last_error_at;
  std::string parse_status;                  // of the cached body
};

class FeedCache {
 public:
  virtual ~FeedCache() = default;
  // The cached copy, nullopt when none.
  virtual Result<std::optional<CachedFeed>> load(const std::string& feed_id) = 0;
  // A successful fetch: replaces the body and validators, clears the error.
  virtual Status store(const CachedFeed& feed) = 0;
  // A 304: the cached body is still current as of `at`.
  virtual Status confirm(const std::string& feed_id, TimePoint at) = 0;
  // A failed attempt: the body is kept, the error and its time recorded.
  virtual Status record_failure(const std::string& feed_id, TimePoint at, const std::string& error) = 0;
  virtual Result<std::vector<FeedStatus>> statuses() = 0;
};

// A stable, non-reversible key for a source URL (FNV-1a 64, hex).
std::string feed_source_key(const std::string& source);

}  // namespace branchcast
