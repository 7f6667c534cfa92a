#include "store/outbox_repository.h"

#include <functional>

#include "common/strings.h"

namespace branchcast {
namespace {

const std::vector<std::string_view> kMigrations = {
    R"(CREATE TABLE outbox_messages (
         id INTEGER PRIMARY KEY,
         idempotency_key TEXT NOT NULL UNIQUE,
         destination TEXT NOT NULL,
         ledger_key TEXT NOT NULL,
         prompt_id TEXT NOT NULL,
         day TEXT NOT NULL,
         title TEXT NOT NULL,
         message TEXT NOT NULL,
         click TEXT NOT NULL,
         tags TEXT NOT NULL,
         priority INTEGER NOT NULL,
         created_ms INTEGER NOT NULL,
         expires_ms INTEGER NOT NULL,
         next_attempt_ms INTEGER NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0,
         state TEXT NOT NULL,
         last_error TEXT NOT NULL DEFAULT '',
         sent_ms INTEGER);
       CREATE INDEX outbox_due ON outbox_messages (state, next_attempt_ms);
       CREATE INDEX outbox_day ON outbox_messages (destination, day);
       CREATE INDEX outbox_ledger_pending ON outbox_messages (ledger_key);
       CREATE TABLE outbox_ledger (ledger_key TEXT PRIMARY KEY, sent_day TEXT NOT NULL);
       CREATE TABLE outbox_pruned (destination TEXT NOT NULL, fingerprint TEXT NOT NULL,
                                   PRIMARY KEY (destination, fingerprint));)"};

constexpr std::string_view kColumns =
    "id, idempotency_key, destination, ledger_key, prompt_id, day, title, message, click, tags, priority, "
    "created_ms, expires_ms, next_attempt_ms, attempts, state, last_error";

int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint at_ms(int64_t v) { return TimePoint(Duration(v)); }

OutboxState parse_state(const std::string& s) {
  if (s == "sending") return OutboxState::kSending;
  if (s == "sent") return OutboxState::kSent;
  if (s == "failed") return OutboxState::kFailed;
  if (s == "expired") return OutboxState::kExpired;
  return OutboxState::kQueued;
}

std::string join_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : "\n") + t;
  return out;
}

OutboxEntry read_row(const Statement& q) {
  OutboxEntry e;
  e.id = q.column_int(0);
  e.idempotency_key = q.column_text(1);
  e.destination = q.column_text(2);
  e.ledger_key = q.column_text(3);
  e.prompt_id = q.column_text(4);
  e.day = q.column_text(5);
  e.title = q.column_text(6);
  e.message = q.column_text(7);
  e.click = q.column_text(8);
  std::string tags = q.column_text(9);
  if (!tags.empty()) e.tags = split(tags, '\n');
  e.priority = static_cast<int>(q.column_int(10));
  e.created = at_ms(q.column_int(11));
  e.expires = at_ms(q.column_int(12));
  e.next_attempt = at_ms(q.column_int(13));
  e.attempts = static_cast<int>(q.column_int(14));
  e.state = parse_state(q.column_text(15));
  e.last_error = q.column_text(16);
  return e;
}

}  // namespace

Result<std::unique_ptr<SqliteOutboxRepository>> SqliteOutboxRepository::open(Database& db) {
  if (Status s = db.apply_migrations("outbox", kMigrations); !s) return s.error();
  return std::unique_ptr<SqliteOutboxRepository>(new SqliteOutboxRepository(db));
}

Result<bool> SqliteOutboxRepository::insert(const OutboxEntry& e) {
  auto q = db_.prepare(
      "INSERT OR IGNORE INTO outbox_messages (idempotency_key, destination, ledger_key, prompt_id, day, title, "
      "message, click, tags, priority, created_ms, expires_ms, next_attempt_ms, attempts, state) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'queued')");
  if (!q) return q.error();
  q->bind(1, e.idempotency_key).bind(2, e.destination).bind(3, e.ledger_key).bind(4, e.prompt_id).bind(5, e.day);
  q->bind(6, e.title).bind(7, e.message).bind(8, e.click).bind(9, join_tags(e.tags));
  q->bind(10, static_cast<int64_t>(e.priority)).bind(11, ms(e.created)).bind(12, ms(e.expires)).bind(13, ms(e.next_attempt));
  if (Status s = q->run(); !s) return s.error();
  return db_.changes() > 0;
}

Result<std::vector<OutboxEntry>> SqliteOutboxRepository::select(std::string_view where_sql,
                                                                const std::function<void(Statement&)>& bind) {
  auto q = db_.prepare("SELECT " + std::string(kColumns) + " FROM outbox_messages " + std::string(where_sql));
  if (!q) return q.error();
  bind(*q);
  std::vector<OutboxEntry> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read_row(*q));
  }
  return out;
}

Result<std::vector<OutboxEntry>> SqliteOutboxRepository::due(TimePoint now, int limit) {
  return select("WHERE state = 'queued' AND next_attempt_ms <= ? ORDER BY next_attempt_ms, id LIMIT ?",
                [&](Statement& q) { q.bind(1, ms(now)).bind(2, static_cast<int64_t>(limit)); });
}

Result<std::vector<OutboxEntry>> SqliteOutboxRepository::all() {
  return select("ORDER BY id", [](Statement&) {});
}

Result<std::optional<OutboxEntry>> SqliteOutboxRepository::find(const std::string& key) {
  auto rows = select("WHERE idempotency_key = ?", [&](Statement& q) { q.bind(1, key); });
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<OutboxEntry>();
  return std::optional<OutboxEntry>(rows->front());
}

Status SqliteOutboxRepository::mark_sending(int64_t id, int attempts) {
  auto q = db_.prepare("UPDATE outbox_messages SET state = 'sending', attempts = ? WHERE id = ?");
  if (!q) return q.error();
  q->bind(1, static_cast<int64_t>(attempts)).bind(2, id);
  return q->run();
}

Status SqliteOutboxRepository::mark_sent(int64_t id, TimePoint at) {
  return db_.transaction([&]() -> Status {
    auto q = db_.prepare("UPDATE outbox_messages SET state = 'sent', sent_ms = ?, last_error = '' WHERE id = ?");
    if (!q) return q.error();
    q->bind(1, ms(at)).bind(2, id);
    if (Status s = q->run(); !s) return s;
    auto l = db_.prepare(
        "INSERT OR IGNORE INTO outbox_ledger (ledger_key, sent_day) SELECT ledger_key, day FROM outbox_messages "
        "WHERE id = ?");
    if (!l) return l.error();
    l->bind(1, id);
    return l->run();
  });
}

Status SqliteOutboxRepository::reschedule(int64_t id, TimePoint next, const std::string& error) {
  auto q = db_.prepare(
      "UPDATE outbox_messages SET state = 'queued', next_attempt_ms = ?, last_error = ? WHERE id = ?");
  if (!q) return q.error();
  q->bind(1, ms(next)).bind(2, error).bind(3, id);
  return q->run();
}

Status SqliteOutboxRepository::finish(int64_t id, OutboxState state, const std::string& error) {
  auto q = db_.prepare("UPDATE outbox_messages SET state = ?, last_error = ? WHERE id = ?");
  if (!q) return q.error();
  q->bind(1, std::string_view(to_string(state))).bind(2, error).bind(3, id);
  return q->run();
}

Result<int> SqliteOutboxRepository::recover_sending() {
  if (Status s = db_.exec("UPDATE outbox_messages SET state = 'queued' WHERE state = 'sending'"); !s) return s.error();
  return db_.changes();
}

Result<int> SqliteOutboxRepository::count_for_day(const std::string& destination, const std::string& day) {
  auto q = db_.prepare(
      "SELECT COUNT(*) FROM outbox_messages WHERE destination = ? AND day = ? "
      "AND state IN ('queued', 'sending', 'sent')");
  if (!q) return q.error();
  q->bind(1, destination).bind(2, day);
  auto row = q->step();
  if (!row) return row.error();
  return static_cast<int>(q->column_int(0));
}

Result<bool> SqliteOutboxRepository::ledger_contains(const std::string& key) {
  auto q = db_.prepare(
      "SELECT EXISTS (SELECT 1 FROM outbox_ledger WHERE ledger_key = ?1) OR EXISTS (SELECT 1 FROM outbox_messages "
      "WHERE ledger_key = ?1 AND state IN ('queued', 'sending'))");
  if (!q) return q.error();
  q->bind(1, key);
  auto row = q->step();
  if (!row) return row.error();
  return q->column_int(0) != 0;
}

Status SqliteOutboxRepository::prune(const std::string& destination, const std::string& fingerprint) {
  auto q = db_.prepare("INSERT OR IGNORE INTO outbox_pruned (destination, fingerprint) VALUES (?, ?)");
  if (!q) return q.error();
  q->bind(1, destination).bind(2, fingerprint);
  return q->run();
}

Result<bool> SqliteOutboxRepository::is_pruned(const std::string& destination, const std::string& fingerprint) {
  auto q = db_.prepare("SELECT 1 FROM outbox_pruned WHERE destination = ? AND fingerprint = ?");
  if (!q) return q.error();
  q->bind(1, destination).bind(2, fingerprint);
  auto row = q->step();
  if (!row) return row.error();
  return *row;
}

Result<std::optional<TimePoint>> SqliteOutboxRepository::next_attempt() {
  auto q = db_.prepare("SELECT MIN(next_attempt_ms) FROM outbox_messages WHERE state = 'queued'");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (q->column_is_null(0)) return std::optional<TimePoint>();
  return std::optional<TimePoint>(at_ms(q->column_int(0)));
}

Result<int> SqliteOutboxRepository::purge_finished(TimePoint before) {
  auto q = db_.prepare(
      "DELETE FROM outbox_messages WHERE state IN ('sent', 'failed', 'expired') AND created_ms < ?");
  if (!q) return q.error();
  q->bind(1, ms(before));
  if (Status s = q->run(); !s) return s.error();
  return db_.changes();
}

}  // namespace branchcast
