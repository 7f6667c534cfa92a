#include "store/telemetry_repository.h"

#include <algorithm>
#include <optional>

namespace branchcast {
namespace {

const std::vector<std::string_view> kMigrations = {
    "CREATE TABLE telemetry_buffer ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " kind TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL);"  // Unix time, milliseconds, UTC
    "CREATE INDEX telemetry_buffer_kind ON telemetry_buffer (kind, id);"
    "CREATE TABLE telemetry_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL);",
};

int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }

Status set_state(Database& db, const std::string& name, int64_t value) {
  auto q = db.prepare("INSERT INTO telemetry_state (name, value) VALUES (?, ?)"
                      " ON CONFLICT (name) DO UPDATE SET value = excluded.value");
  if (!q) return q.error();
  q->bind(1, name).bind(2, value);
  return q->run();
}

}  // namespace

Result<TelemetryRepository> TelemetryRepository::open(Database& db) {
  if (auto s = db.apply_migrations("telemetry", kMigrations); !s) return s.error();
  return TelemetryRepository(db);
}

Status TelemetryRepository::enqueue(const std::vector<TelemetryRecord>& messages,
                                    const std::vector<std::pair<std::string, int64_t>>& cursors) {
  return db_->transaction([&]() -> Status {
    auto q = db_->prepare("INSERT INTO telemetry_buffer (kind, payload, created_ms) VALUES (?, ?, ?)");
    if (!q) return q.error();
    for (const auto& m : messages) {
      q->reset();
      q->bind(1, m.kind).bind(2, m.payload).bind(3, ms(m.created));
      if (Status s = q->run(); !s) return s;
    }
    for (const auto& [name, value] : cursors)
      if (Status s = set_state(*db_, name, value); !s) return s;
    return {};
  });
}

Result<std::vector<TelemetryRecord>> TelemetryRepository::oldest(int limit) {
  auto q = db_->prepare("SELECT id, kind, payload, created_ms FROM telemetry_buffer ORDER BY id LIMIT ?");
  if (!q) return q.error();
  q->bind(1, static_cast<int64_t>(limit));
  std::vector<TelemetryRecord> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({q->column_int(0), q->column_text(1), q->column_text(2), TimePoint(Duration(q->column_int(3)))});
  }
  return out;
}

Status TelemetryRepository::remove(const std::vector<int64_t>& ids) {
  return db_->transaction([&]() -> Status {
    auto q = db_->prepare("DELETE FROM telemetry_buffer WHERE id = ?");
    if (!q) return q.error();
    for (int64_t id : ids) {
      q->reset();
      q->bind(1, id);
      if (Status s = q->run(); !s) return s;
    }
    return {};
  });
}

Result<int64_t> TelemetryRepository::depth() {
  auto q = db_->prepare("SELECT COUNT(*) FROM telemetry_buffer");
  if (!q) return q.error();
  if (auto row = q->step(); !row) return row.error();
  return q->column_int(0);
}

Result<int64_t> TelemetryRepository::delete_where(std::string_view where_sql, int64_t value) {
  auto q = db_->prepare("DELETE FROM telemetry_buffer WHERE " + std::string(where_sql));
  if (!q) return q.error();
  q->bind(1, value);
  if (Status s = q->run(); !s) return s.error();
  return static_cast<int64_t>(db_->changes());
}

Result<int64_t> TelemetryRepository::enforce(const TelemetryBufferBound& bound, TimePoint now) {
  int64_t dropped = 0;
  auto drop = [&](std::string_view where_sql, int64_t value) -> Status {
    auto n = delete_where(where_sql, value);
    if (!n) return n.error();
    dropped += *n;
    return {};
  };
  auto excess = [&]() -> Result<int64_t> {
    auto rows = depth();
    if (!rows) return rows.error();
    return std::max<int64_t>(0, *rows - bound.max_rows);
  };
  Status s = db_->transaction([&]() -> Status {
    if (Status st = drop("kind = 'heartbeat' AND created_ms < ?1", ms(now - bound.heartbeat_max_age)); !st) return st;
    if (Status st = drop("created_ms < ?1", ms(now - bound.max_age)); !st) return st;
    auto over = excess();
    if (!over) return over.error();
    if (*over > 0) {
      Status st = drop("id IN (SELECT id FROM telemetry_buffer WHERE kind = 'heartbeat' AND id < "
                       "(SELECT MAX(id) FROM telemetry_buffer WHERE kind = 'heartbeat') ORDER BY id LIMIT ?1)",
                       *over);
      if (!st) return st;
    }
    over = excess();
    if (!over) return over.error();
    if (*over > 0)
      if (Status st = drop("id IN (SELECT id FROM telemetry_buffer ORDER BY id LIMIT ?1)", *over); !st) return st;
    if (dropped == 0) return {};
    auto total = dropped_total();
    if (!total) return total.error();
    return set_state(*db_, "dropped_total", *total + dropped);
  });
  if (!s) return s.error();
  return dropped;
}

Result<std::optional<int64_t>> TelemetryRepository::state(const std::string& name) {
  auto q = db_->prepare("SELECT value FROM telemetry_state WHERE name = ?");
  if (!q) return q.error();
  q->bind(1, name);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(q->column_int(0));
}

Result<int64_t> TelemetryRepository::dropped_total() {
  auto v = state("dropped_total");
  if (!v) return v.error();
  return v->value_or(0);
}

}  // namespace branchcast
