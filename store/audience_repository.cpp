#include "store/audience_repository.h"

#include "store/presence_repository.h"

namespace branchcast {
namespace {

int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_ms(int64_t v) { return TimePoint{Duration{v}}; }

}  // namespace

Result<bool> AudienceRepository::has_table(const char* name) {
  auto q = db_->prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  if (!q) return q.error();
  q->bind(1, std::string_view(name));
  return q->step();
}

// Rows of `sql` (two bind parameters: from, to) read by `read`, or none when `table` is missing.
template <typename Row, typename Read>
Result<std::vector<Row>> AudienceRepository::rows(const char* table, const char* sql, TimePoint from,
                                                  TimePoint to, Read read) {
  std::vector<Row> out;
  auto exists = has_table(table);
  if (!exists) return exists.error();
  if (!*exists) return out;
  auto q = db_->prepare(sql);
  if (!q) return q.error();
  q->bind(1, ms(from)).bind(2, ms(to));
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read(*q));
  }
}

Result<std::vector<PlayedItem>> AudienceRepository::plays(TimePoint from, TimePoint to) {
  return rows<PlayedItem>("play_log",
      "SELECT screen, rule, kind, item, start_ms, seconds_shown FROM play_log"
      " WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms",
      from, to, [](Statement& q) {
        return PlayedItem{q.column_text(0), q.column_text(1), q.column_text(2), q.column_text(3),
                          from_ms(q.column_int(4)), q.column_double(5)};
      });
}

Result<std::vector<PresencePeriod>> AudienceRepository::presence(TimePoint from, TimePoint to) {
  auto repo = PresenceRepository::open(*db_);  // the BLE component's own reader and schema
  if (!repo) return repo.error();
  return repo->between(from, to);
}

}  // namespace branchcast
