#include "store/play_log_repository.h"

#include <algorithm>

namespace branchcast {
namespace {

const std::vector<std::string_view> kMigrations = {
    "CREATE TABLE play_log ("
    " id INTEGER PRIMARY KEY,"
    " screen TEXT NOT NULL,"
    " rule TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " item TEXT NOT NULL,"
    " start_ms INTEGER NOT NULL,"        // Unix time, milliseconds, UTC
    " seconds_shown REAL NOT NULL,"
    " gap_ms REAL,"                      // NULL: first item on the screen
    " late_ms REAL NOT NULL DEFAULT 0);"
    "CREATE INDEX play_log_screen_start ON play_log (screen, start_ms);",
};

constexpr std::string_view kColumns = "screen, rule, kind, item, start_ms, seconds_shown, gap_ms, late_ms, id";

PlayRecord read_record(const Statement& st) {
  PlayRecord r;
  r.screen = st.column_text(0);
  r.rule = st.column_text(1);
  r.kind = st.column_text(2);
  r.item = st.column_text(3);
  r.start = TimePoint(Duration(st.column_int(4)));
  r.seconds_shown = st.column_double(5);
  if (!st.column_is_null(6)) r.gap_ms = st.column_double(6);
  r.late_ms = st.column_double(7);
  return r;
}

}  // namespace

Result<PlayLogRepository> PlayLogRepository::open(Database& db) {
  if (auto s = db.apply_migrations("play_log", kMigrations); !s) return s.error();
  return PlayLogRepository(db);
}

Status PlayLogRepository::add(const PlayRecord& r) {
  if (Status s = flush(); !s) {
    if (pending_.size() >= kMaxPending) {
      pending_.pop_front();
      ++dropped_;
    }
    pending_.push_back(r);
    return s;
  }
  if (Status s = insert(r); !s) {
    pending_.push_back(r);
    return s;
  }
  return {};
}

Status PlayLogRepository::flush() {
  constexpr size_t kBatch = 512;  // one transaction (one fsync) per batch
  while (!pending_.empty()) {
    size_t n = std::min(pending_.size(), kBatch);
    Status s = db_->transaction([&]() -> Status {
      for (size_t i = 0; i < n; ++i)
        if (Status w = insert(pending_[i]); !w) return w;
      return {};
    });
    if (!s) return s;
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return {};
}

Status PlayLogRepository::insert(const PlayRecord& r) {
  auto st = db_->prepare(
      "INSERT INTO play_log (screen, rule, kind, item, start_ms, seconds_shown, gap_ms, late_ms)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return st.error();
  st->bind(1, r.screen).bind(2, r.rule).bind(3, r.kind).bind(4, r.item);
  st->bind(5, static_cast<int64_t>(r.start.time_since_epoch().count())).bind(6, r.seconds_shown);
  if (r.gap_ms) st->bind(7, *r.gap_ms); else st->bind_null(7);
  st->bind(8, r.late_ms);
  return st->run();
}

Result<std::vector<PlayRecord>> PlayLogRepository::between(const std::string& screen, TimePoint from,
                                                           TimePoint to) {
  auto st = db_->prepare("SELECT " + std::string(kColumns) +
                         " FROM play_log WHERE (?1 = '' OR screen = ?1) AND start_ms >= ?2 AND start_ms < ?3"
                         " ORDER BY start_ms, id");
  if (!st) return st.error();
  st->bind(1, screen)
      .bind(2, static_cast<int64_t>(from.time_since_epoch().count()))
      .bind(3, static_cast<int64_t>(to.time_since_epoch().count()));
  std::vector<PlayRecord> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read_record(*st));
  }
  return out;
}

Result<std::vector<PlayLogRow>> PlayLogRepository::after(int64_t after_id, int limit) {
  auto st = db_->prepare("SELECT " + std::string(kColumns) + " FROM play_log WHERE id > ? ORDER BY id LIMIT ?");
  if (!st) return st.error();
  st->bind(1, after_id).bind(2, static_cast<int64_t>(limit));
  std::vector<PlayLogRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({st->column_int(8), read_record(*st)});
  }
  return out;
}

Result<int64_t> PlayLogRepository::last_id() {
  auto st = db_->prepare("SELECT COALESCE(MAX(id), 0) FROM play_log");
  if (!st) return st.error();
  if (auto row = st->step(); !row) return row.error();
  return st->column_int(0);
}

}  // namespace branchcast
