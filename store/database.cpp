#include "store/database.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace branchcast {

Result<std::unique_ptr<Database>> Database::open(const std::string& path, int* sqlite_code) {
  if (sqlite_code) *sqlite_code = 0;
  if (path != ":memory:") {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
      std::filesystem::create_directories(parent, ec);
      if (ec) return make_error(path + ": cannot create folder " + parent.string() + ": " + ec.message());
      std::filesystem::permissions(parent, std::filesystem::perms::owner_all, ec);
    }
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (sqlite_code) *sqlite_code = db ? sqlite3_extended_errcode(db) : rc;
    sqlite3_close(db);
    return make_error(path + ": cannot open database: " + msg);
  }
  std::unique_ptr<Database> out(new Database(db, path));
  sqlite3_busy_timeout(db, 5000);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                             "PRAGMA foreign_keys=ON", "PRAGMA secure_delete=ON"}) {
    if (auto s = out->exec(pragma); !s) {
      if (sqlite_code) *sqlite_code = out->last_error_code();
      return s.error();
    }
  }
  if (auto s = out->exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         " component TEXT NOT NULL, version INTEGER NOT NULL,"
                         " PRIMARY KEY (component, version))");
      !s) {
    if (sqlite_code) *sqlite_code = out->last_error_code();
    return s.error();
  }
  return out;
}

Database::~Database() { sqlite3_close_v2(db_); }

Error Database::error(std::string_view what) const {
  int code = sqlite3_errcode(db_);
  last_code_ = sqlite3_extended_errcode(db_);
  std::string msg = sqlite3_errmsg(db_);
  if (code == SQLITE_FULL) msg = "disk full (" + msg + ")";
  return make_error(path_ + ": " + std::string(what) + ": " + msg);
}

Status Database::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    return error("statement failed");
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
    return error("cannot prepare statement");
  return Statement(this, stmt);
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Status Database::apply_migrations(std::string_view component, const std::vector<std::string_view>& steps) {
  auto q = prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?");
  if (!q) return q.error();
  q->bind(1, component);
  auto row = q->step();
  if (!row) return row.error();
  int64_t have = q->column_int(0);
  for (size_t v = static_cast<size_t>(have); v < steps.size(); ++v) {
    Status s = transaction([&]() -> Status {
      if (auto e = exec(steps[v]); !e) return e;
      auto ins = prepare("INSERT INTO schema_migrations (component, version) VALUES (?, ?)");
      if (!ins) return ins.error();
      ins->bind(1, component).bind(2, static_cast<int64_t>(v + 1));
      return ins->run();
    });
    if (!s)
      return make_error(path_ + ": migration " + std::string(component) + " v" + std::to_string(v + 1) +
                        " failed: " + s.error().message);
  }
  return {};
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_blob(int i, const void* data, size_t size) {
  sqlite3_bind_blob(stmt_, i, data, static_cast<int>(size), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->error("step failed");
}

Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) return {};
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
double Statement::column_double(int i) const { return sqlite3_column_double(stmt_, i); }
std::string Statement::column_text(int i) const {
  auto* p = sqlite3_column_text(stmt_, i);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, i)) : std::string();
}
std::string Statement::column_blob(int i) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, i)) : std::string();
}
bool Statement::column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

std::string default_state_dir() {
  if (const char* env = std::getenv("BRANCHCAST_STATE_DIR"); env && *env) return env;
  if (geteuid() == 0) return "/var/lib/branchcast";
  return (std::filesystem::current_path() / ".branchcast").string();
}

}  // namespace branchcast
