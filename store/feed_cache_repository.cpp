#include "store/feed_cache_repository.h"

namespace branchcast {
namespace {

constexpr std::string_view kSchemaV1 = R"(
CREATE TABLE feed_cache (
  feed_id TEXT PRIMARY KEY,
  source_key TEXT NOT NULL DEFAULT '',
  body BLOB,
  charset TEXT NOT NULL DEFAULT '',
  etag TEXT,
  last_modified TEXT,
  fetched_at_ms INTEGER,
  parse_status TEXT NOT NULL DEFAULT '',
  last_attempt_ms INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  last_error_at_ms INTEGER
))";

int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_ms(int64_t v) { return TimePoint(Duration(v)); }

std::optional<TimePoint> opt_time(const Statement& s, int col) {
  if (s.column_is_null(col)) return std::nullopt;
  return from_ms(s.column_int(col));
}

std::optional<std::string> opt_text(const Statement& s, int col) {
  if (s.column_is_null(col)) return std::nullopt;
  return s.column_text(col);
}

}  // namespace

Result<std::unique_ptr<FeedCacheRepository>> FeedCacheRepository::open(Database& db) {
  if (auto s = db.apply_migrations("feed_cache", {kSchemaV1}); !s) return s.error();
  return std::unique_ptr<FeedCacheRepository>(new FeedCacheRepository(db));
}

Result<std::optional<CachedFeed>> FeedCacheRepository::load(const std::string& feed_id) {
  auto q = db_.prepare(
      "SELECT source_key, body, charset, etag, last_modified, fetched_at_ms, parse_status FROM feed_cache "
      "WHERE feed_id = ? AND body IS NOT NULL");
  if (!q) return q.error();
  q->bind(1, feed_id);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<CachedFeed>();
  CachedFeed f;
  f.feed_id = feed_id;
  f.source_key = q->column_text(0);
  f.body = q->column_blob(1);
  f.charset = q->column_text(2);
  f.etag = opt_text(*q, 3);
  f.last_modified = opt_text(*q, 4);
  f.fetched_at = opt_time(*q, 5).value_or(TimePoint{});
  f.parse_status = q->column_text(6);
  return std::optional<CachedFeed>(std::move(f));
}

Status FeedCacheRepository::store(const CachedFeed& f) {
  auto q = db_.prepare(
      "INSERT INTO feed_cache (feed_id, source_key, body, charset, etag, last_modified, fetched_at_ms, "
      "parse_status, last_attempt_ms, last_error, last_error_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', NULL) "
      "ON CONFLICT(feed_id) DO UPDATE SET source_key = excluded.source_key, body = excluded.body, "
      "charset = excluded.charset, etag = excluded.etag, last_modified = excluded.last_modified, "
      "fetched_at_ms = excluded.fetched_at_ms, parse_status = excluded.parse_status, "
      "last_attempt_ms = excluded.last_attempt_ms, last_error = '', last_error_at_ms = NULL");
  if (!q) return q.error();
  q->bind(1, f.feed_id).bind(2, f.source_key).bind_blob(3, f.body.data(), f.body.size()).bind(4, f.charset);
  if (f.etag) q->bind(5, *f.etag); else q->bind_null(5);
  if (f.last_modified) q->bind(6, *f.last_modified); else q->bind_null(6);
  q->bind(7, ms(f.fetched_at)).bind(8, f.parse_status).bind(9, ms(f.fetched_at));
  return q->run();
}

Status FeedCacheRepository::confirm(const std::string& feed_id, TimePoint at) {
  auto q = db_.prepare(
      "UPDATE feed_cache SET fetched_at_ms = ?, last_attempt_ms = ?, last_error = '', last_error_at_ms = NULL "
      "WHERE feed_id = ?");
  if (!q) return q.error();
  q->bind(1, ms(at)).bind(2, ms(at)).bind(3, feed_id);
  return q->run();
}

Status FeedCacheRepository::record_failure(const std::string& feed_id, TimePoint at, const std::string& error) {
  auto q = db_.prepare(
      "INSERT INTO feed_cache (feed_id, last_attempt_ms, last_error, last_error_at_ms) VALUES (?, ?, ?, ?) "
      "ON CONFLICT(feed_id) DO UPDATE SET last_attempt_ms = excluded.last_attempt_ms, "
      "last_error = excluded.last_error, last_error_at_ms = excluded.last_error_at_ms");
  if (!q) return q.error();
  q->bind(1, feed_id).bind(2, ms(at)).bind(3, error.substr(0, 1000)).bind(4, ms(at));
  return q->run();
}

Result<std::vector<FeedStatus>> FeedCacheRepository::statuses() {
  auto q = db_.prepare(
      "SELECT feed_id, fetched_at_ms, last_attempt_ms, last_error, last_error_at_ms, parse_status "
      "FROM feed_cache ORDER BY feed_id");
  if (!q) return q.error();
  std::vector<FeedStatus> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    FeedStatus s;
    s.feed_id = q->column_text(0);
    s.last_success = opt_time(*q, 1);
    s.last_attempt = opt_time(*q, 2);
    s.last_error = q->column_text(3);
    s.last_error_at = opt_time(*q, 4);
    s.parse_status = q->column_text(5);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace branchcast
