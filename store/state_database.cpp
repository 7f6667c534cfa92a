#include "store/state_database.h"

#include <sqlite3.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>

#include "store/feed_cache_repository.h"
#include "store/outbox_repository.h"
#include "store/override_repository.h"
#include "store/play_log_repository.h"
#include "store/presence_repository.h"
#include "store/telemetry_repository.h"

namespace branchcast {
namespace fs = std::filesystem;
namespace {

constexpr char kDamagedInfix[] = ".damaged-";
constexpr char kSqliteHeader[] = "SQLite format 3";  // 16 bytes with its NUL
// quick_check reads every page: beyond this size the boot would wait too long for it.
constexpr uintmax_t kQuickCheckMaxBytes = 256u << 20;

const char* const kTables[] = {"play_log",      "feed_cache",      "presence_counts", "emergency_override",
                               "telemetry_buffer", "telemetry_state", "outbox_messages", "outbox_ledger"};

// Damage (move the file aside) as opposed to storage that cannot be used now (run in memory).
bool is_damage(int code) {
  switch (code & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_ERROR:  // a schema that is not ours: "no such table", "table ... already exists"
    case SQLITE_SCHEMA:
    case SQLITE_MISMATCH:
    case SQLITE_CONSTRAINT:
    case SQLITE_FORMAT:
    case SQLITE_RANGE:
      return true;
    default:
      return false;
  }
}

std::string utc_stamp(TimePoint now) {
  std::time_t t = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(now));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// What is wrong with the file before SQLite sees it ("" = nothing visible).
std::string damage_before_open(const fs::path& p) {
  std::error_code ec;
  auto st = fs::symlink_status(p, ec);
  if (ec || !fs::exists(st)) return "";
  if (fs::is_directory(st)) return "a folder is in the database's place";
  if (!fs::is_regular_file(st)) return "not a regular file";
  auto size = fs::file_size(p, ec);
  if (ec || size == 0) return "";
  char head[16] = {};
  std::ifstream in(p, std::ios::binary);
  in.read(head, sizeof head);
  if (in.gcount() < 16 || std::memcmp(head, kSqliteHeader, sizeof kSqliteHeader) != 0)
    return "not an SQLite database (its first bytes are not SQLite's header)";
  return "";
}

// Free bytes in `dir` (nullopt when unknown).
std::optional<uint64_t> free_bytes(const fs::path& dir) {
  struct statvfs v {};
  if (::statvfs(dir.c_str(), &v) != 0) return std::nullopt;
  return static_cast<uint64_t>(v.f_bavail) * v.f_frsize;
}

Status quick_check(Database& db) {
  auto q = db.prepare("PRAGMA quick_check(1)");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  std::string verdict = *row ? q->column_text(0) : "no answer";
  if (verdict != "ok") return make_error(db.path() + ": quick_check: " + verdict);
  return {};
}

struct Attempt {
  std::unique_ptr<Database> db;
  std::string error;
  bool damage = false;
};

Attempt try_open(const std::string& path) {
  Attempt a;
  int code = 0;
  auto db = Database::open(path, &code);
  if (!db) {
    a.error = db.error().message;
    a.damage = is_damage(code);
    return a;
  }
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (!ec && size <= kQuickCheckMaxBytes) {
    if (auto s = quick_check(**db); !s) {
      a.error = s.error().message;
      int c = (*db)->last_error_code();
      a.damage = c == 0 || is_damage(c);  // a verdict other than "ok" is damage
      return a;
    }
  }
  if (auto s = prepare_state_schema(**db); !s) {
    a.error = s.error().message;
    int c = (*db)->last_error_code();
    a.damage = c == 0 || is_damage(c);  // 0: our own schema check failed
    return a;
  }
  a.db = std::move(*db);
  return a;
}

// Renames `p` (and its -wal, -shm) to a free "<p>.damaged-<stamp>[-n]" name. Returns the new
// name of the database file.
Result<std::string> move_aside(const fs::path& p, TimePoint now) {
  std::string base = p.string() + kDamagedInfix + utc_stamp(now);
  std::string target = base;
  std::error_code ec;
  for (int n = 2; fs::exists(fs::symlink_status(target, ec)); ++n) target = base + "-" + std::to_string(n);
  fs::rename(p, target, ec);
  if (ec) return make_error("cannot move it aside: " + ec.message());
  for (const char* side : {"-wal", "-shm", "-journal"}) {
    fs::path from = p.string() + side;
    if (fs::exists(fs::symlink_status(from, ec))) {
      std::error_code ignored;
      fs::rename(from, target + side, ignored);
      if (ignored) fs::remove(from, ignored);  // never let a stale side file meet the fresh database
    }
  }
  return target;
}

StateDatabase in_memory(StateDatabaseStatus status) {
  StateDatabase out;
  auto db = Database::open(":memory:");
  // ":memory:" only fails when the process is out of memory; nothing else could play then either.
  out.db = std::move(db.value());
  (void)prepare_state_schema(*out.db);
  status.storage = StateStorage::kMemory;
  out.status = std::move(status);
  return out;
}

}  // namespace

std::string StateDatabaseStatus::summary() const {
  if (!degraded()) return "";
  std::string s = "state storage degraded: " + reason;
  if (storage == StateStorage::kMemory) s += " (running with an in-memory store: nothing is kept after this run)";
  return s;
}

Status prepare_state_schema(Database& db) {
  if (auto r = PlayLogRepository::open(db); !r) return r.error();
  if (auto r = FeedCacheRepository::open(db); !r) return r.error();
  if (auto r = PresenceRepository::open(db); !r) return r.error();
  if (auto r = OverrideRepository::open(db); !r) return r.error();
  if (auto r = TelemetryRepository::open(db); !r) return r.error();
  if (auto r = SqliteOutboxRepository::open(db); !r) return r.error();
  for (const char* table : kTables) {
    auto q = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    if (!q) return q.error();
    q->bind(1, std::string_view(table));
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return make_error(db.path() + ": table " + table + " is missing though its migrations are recorded");
  }
  return {};
}

StateDatabase open_state_database(const std::string& dir, TimePoint now) {
  return open_state_database_file((fs::path(dir) / "branchcast.db").string(), now);
}

StateDatabase open_state_database_file(const std::string& path, TimePoint now) {
  StateDatabaseStatus status;
  status.path = path;
  const fs::path p(path);
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) {
      status.reason = path + ": cannot create the state folder " + dir.string() + ": " + ec.message();
      return in_memory(std::move(status));
    }
    fs::permissions(dir, fs::perms::owner_all, ec);
  }

  std::string damage = damage_before_open(p);
  std::string disk_full;
  if (damage.empty()) {
    if (::access(dir.c_str(), W_OK) != 0) {
      status.reason = path + ": the state folder " + dir.string() + " is not writable: " + std::strerror(errno);
      return in_memory(std::move(status));
    }
    if (auto free = free_bytes(dir); free && *free < kStateMinFreeBytes)
      disk_full = "disk full (" + std::to_string(*free / 1024) + " KiB free in " + dir.string() +
                  "): proof of play is kept in memory until space returns";
    Attempt a = try_open(path);
    if (a.db) {
      StateDatabase out;
      out.db = std::move(a.db);
      if (!disk_full.empty()) status.reason = path + ": " + disk_full;
      out.status = std::move(status);
      return out;
    }
    if (!a.damage || !disk_full.empty()) {
      status.reason = a.error + (disk_full.empty() ? "" : "; " + disk_full);
      return in_memory(std::move(status));
    }
    damage = a.error;
  }

  auto moved = move_aside(p, now);
  if (!moved) {
    status.reason = path + ": " + damage + "; " + moved.error().message;
    return in_memory(std::move(status));
  }
  status.moved_aside = *moved;
  status.reason = path + ": " + damage + "; kept as " + *moved + ", a fresh database was started";
  Attempt fresh = try_open(path);
  if (!fresh.db) {
    status.reason += "; the fresh database failed too: " + fresh.error;
    return in_memory(std::move(status));
  }
  status.storage = StateStorage::kFreshFile;
  StateDatabase out;
  out.db = std::move(fresh.db);
  out.status = std::move(status);
  return out;
}

StateDatabaseReport inspect_state_database(const std::string& dir_name) {
  StateDatabaseReport r;
  const fs::path dir(dir_name);
  const fs::path p = dir / "branchcast.db";
  r.path = p.string();
  std::error_code ec;
  if (fs::is_directory(dir, ec)) {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      std::string name = e.path().filename().string();
      if (name.rfind(std::string("branchcast.db") + kDamagedInfix, 0) == 0 && name.find("-wal") == std::string::npos &&
          name.find("-shm") == std::string::npos && name.find("-journal") == std::string::npos)
        r.moved_aside.push_back(e.path().string());
    }
    std::sort(r.moved_aside.begin(), r.moved_aside.end());
    if (::access(dir.c_str(), W_OK) != 0) {
      r.folder_writable = false;
      r.problem = "the state folder " + dir.string() + " is not writable: " + std::strerror(errno);
    } else if (auto free = free_bytes(dir); free && *free < kStateMinFreeBytes) {
      r.folder_writable = false;
      r.problem = "disk full: " + std::to_string(*free / 1024) + " KiB free in " + dir.string();
    }
  }
  r.exists = fs::exists(fs::symlink_status(p, ec));
  if (!r.exists) return r;
  if (std::string d = damage_before_open(p); !d.empty()) {
    r.usable = false;
    r.problem = d;
    return r;
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(p.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::string verdict;
  if (rc == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, nullptr);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(st, 0);
      verdict = t ? reinterpret_cast<const char*>(t) : "";
    } else {
      verdict = sqlite3_errmsg(db);
    }
    sqlite3_finalize(st);
  } else {
    verdict = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  }
  sqlite3_close(db);
  if (verdict != "ok") {
    r.usable = false;
    r.problem = verdict;
  }
  return r;
}

}  // namespace branchcast
