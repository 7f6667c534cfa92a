#include "store/override_repository.h"

namespace branchcast {
namespace {

int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_ms(int64_t v) { return TimePoint{Duration{v}}; }

const std::vector<std::string_view> kMigrations = {
    "CREATE TABLE emergency_override ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " text TEXT,"                       // NULL: cleared
    " until_ms INTEGER,"                // NULL: until cleared
    " set_at_ms INTEGER NOT NULL,"
    " revision INTEGER NOT NULL)",
};

}  // namespace

Result<OverrideRepository> OverrideRepository::open(Database& db) {
  if (auto s = db.apply_migrations("override", kMigrations); !s) return s.error();
  return OverrideRepository(db);
}

Status OverrideRepository::set(const std::string& text, std::optional<TimePoint> until, TimePoint now) {
  auto q = db_->prepare(
      "INSERT INTO emergency_override (id, text, until_ms, set_at_ms, revision) VALUES (1, ?, ?, ?, 1)"
      " ON CONFLICT (id) DO UPDATE SET text = excluded.text, until_ms = excluded.until_ms,"
      " set_at_ms = excluded.set_at_ms, revision = revision + 1");
  if (!q) return q.error();
  q->bind(1, text);
  if (until) q->bind(2, ms(*until)); else q->bind_null(2);
  q->bind(3, ms(now));
  return q->run();
}

Status OverrideRepository::clear(TimePoint now) {
  auto q = db_->prepare(
      "INSERT INTO emergency_override (id, text, until_ms, set_at_ms, revision) VALUES (1, NULL, NULL, ?, 1)"
      " ON CONFLICT (id) DO UPDATE SET text = NULL, until_ms = NULL, set_at_ms = excluded.set_at_ms,"
      " revision = revision + 1");
  if (!q) return q.error();
  q->bind(1, ms(now));
  return q->run();
}

Result<std::optional<StoredOverride>> OverrideRepository::active(TimePoint now) {
  auto q = db_->prepare("SELECT text, until_ms, set_at_ms, revision FROM emergency_override WHERE id = 1");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row || q->column_is_null(0)) return std::optional<StoredOverride>{};
  StoredOverride o;
  o.text = q->column_text(0);
  if (!q->column_is_null(1)) o.until = from_ms(q->column_int(1));
  o.set_at = from_ms(q->column_int(2));
  o.revision = q->column_int(3);
  if (o.until && *o.until <= now) return std::optional<StoredOverride>{};
  return std::optional<StoredOverride>{std::move(o)};
}

Result<int64_t> OverrideRepository::revision() {
  auto q = db_->prepare("SELECT revision FROM emergency_override WHERE id = 1");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  return *row ? q->column_int(0) : int64_t{0};
}

}  // namespace branchcast
