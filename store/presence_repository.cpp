#include "store/presence_repository.h"

namespace branchcast {
namespace {

int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }

const std::vector<std::string_view> kMigrations = {
    "CREATE TABLE presence_counts ("
    " start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, screen TEXT NOT NULL,"
    " devices INTEGER NOT NULL, peak INTEGER NOT NULL, samples INTEGER NOT NULL,"
    " PRIMARY KEY (screen, start_ms)) WITHOUT ROWID",
    "CREATE INDEX presence_counts_start ON presence_counts (start_ms)",
};

}  // namespace

Result<PresenceRepository> PresenceRepository::open(Database& db) {
  if (auto s = db.apply_migrations("presence", kMigrations); !s) return s.error();
  return PresenceRepository(db);
}

Status PresenceRepository::record(const PresencePeriod& period) {
  auto q = db_->prepare(
      "INSERT OR REPLACE INTO presence_counts (start_ms, end_ms, screen, devices, peak, samples)"
      " VALUES (?, ?, ?, ?, ?, ?)");
  if (!q) return q.error();
  q->bind(1, ms(period.start)).bind(2, ms(period.end)).bind(3, period.screen);
  q->bind(4, int64_t{period.devices}).bind(5, int64_t{period.peak}).bind(6, int64_t{period.samples});
  return q->run();
}

Result<std::vector<PresencePeriod>> PresenceRepository::between(TimePoint from, TimePoint to) {
  return select("WHERE end_ms > ?1 AND start_ms < ?2", ms(from), ms(to));
}

Result<std::vector<PresencePeriod>> PresenceRepository::starting_after(TimePoint after) {
  return select("WHERE start_ms > ?1", ms(after), 0);
}

Result<std::optional<TimePoint>> PresenceRepository::last_start() {
  auto q = db_->prepare("SELECT MAX(start_ms) FROM presence_counts");
  if (!q) return q.error();
  if (auto row = q->step(); !row) return row.error();
  if (q->column_is_null(0)) return std::optional<TimePoint>();
  return std::optional<TimePoint>(TimePoint(Duration(q->column_int(0))));
}

Result<std::vector<PresencePeriod>> PresenceRepository::select(std::string_view where_sql, int64_t a, int64_t b) {
  auto q = db_->prepare(
      "SELECT start_ms, end_ms, screen, devices, peak, samples FROM presence_counts " + std::string(where_sql) +
      " ORDER BY start_ms, screen");
  if (!q) return q.error();
  q->bind(1, a);
  if (where_sql.find("?2") != std::string_view::npos) q->bind(2, b);
  std::vector<PresencePeriod> rows;
  while (true) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    PresencePeriod r;
    r.start = TimePoint(Duration(q->column_int(0)));
    r.end = TimePoint(Duration(q->column_int(1)));
    r.screen = q->column_text(2);
    r.devices = static_cast<int>(q->column_int(3));
    r.peak = static_cast<int>(q->column_int(4));
    r.samples = static_cast<int>(q->column_int(5));
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace branchcast
