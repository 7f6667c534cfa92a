// SQLite database: the only sqlite3 user. One Database per file, used from one thread at a time
// (the loop thread, or a worker that owns its own Database on the same file; WAL lets them share).
//
// Open() turns on WAL, synchronous=FULL (a committed row survives power loss), foreign keys and a
// busy timeout, and applies each component's migrations (apply_migrations). Errors name the file
// and SQLite's message; a full disk is reported as such and leaves committed data intact.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace branchcast {

class Statement;

class Database {
 public:
  // Opens (creating) the file; ":memory:" for an in-memory database. Creates missing parent
  // folders with mode 0700. On failure `*sqlite_code` (when given) is SQLite's extended result
  // code (0 when the failure was not SQLite's). To open the appliance's state database so that
  // damage or a read-only disk never stops the screens, use open_state_database()
  // (store/state_database.h).
  static Result<std::unique_ptr<Database>> open(const std::string& path, int* sqlite_code = nullptr);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& path() const { return path_; }
  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  int64_t last_insert_rowid() const;
  int changes() const;

  // Runs fn inside BEGIN IMMEDIATE / COMMIT; rolls back if fn or the commit fails.
  template <typename Fn>
  Status transaction(Fn&& fn) {
    if (auto s = exec("BEGIN IMMEDIATE"); !s) return s;
    Status s = fn();
    if (!s) {
      (void)exec("ROLLBACK");
      return s;
    }
    if (auto c = exec("COMMIT"); !c) {
      (void)exec("ROLLBACK");
      return c;
    }
    return {};
  }

  // Migrations of one component ("presence", "outbox", ...): steps[i] is schema version i+1.
  // Applies the steps not yet applied, each in its own transaction, recording the version in
  // schema_migrations. Components never touch each other's tables.
  Status apply_migrations(std::string_view component, const std::vector<std::string_view>& steps);

  Error error(std::string_view what) const;  // "<file>: <what>: <sqlite message>"
  // SQLite's extended result code of the last error reported through error() (0: none yet).
  int last_error_code() const { return last_code_; }
  sqlite3* handle() { return db_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  mutable int last_code_ = 0;
};

// A prepared statement. Bind indices are 1-based; column indices 0-based.
class Statement {
 public:
  Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  ~Statement();
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, double v);
  Statement& bind(int i, std::string_view v);
  Statement& bind_blob(int i, const void* data, size_t size);
  Statement& bind_null(int i);
  // Returns true when a row is available, false when done, or an Error.
  Result<bool> step();
  Status run();  // step until done
  void reset();

  int64_t column_int(int i) const;
  double column_double(int i) const;
  std::string column_text(int i) const;
  std::string column_blob(int i) const;
  bool column_is_null(int i) const;

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* s) : db_(db), stmt_(s) {}
  Database* db_;
  sqlite3_stmt* stmt_;
};

// Where the database and content cache live: $BRANCHCAST_STATE_DIR, else /var/lib/branchcast
// when running as root, else ./.branchcast.
std::string default_state_dir();

}  // namespace branchcast
