// The notification outbox in SQLite (component "outbox"): OutboxStore over Database.
//
// Tables: outbox_messages (one row per prompt, see notify/outbox_store.h), outbox_ledger (keyed
// hashes of (recipient, prompt) already sent), outbox_pruned (destinations whose address answered
// 404/410, by address fingerprint). No patron id, address, token or key is ever written.
// Every mutating call is one transaction; Database opens with synchronous=FULL, so a call that
// returned ok survives kill -9 and power loss.
//
// Thread: the thread that owns the Database.
#pragma once

#include <functional>
#include <memory>

#include "notify/outbox_store.h"
#include "store/database.h"

namespace branchcast {

class SqliteOutboxRepository final : public OutboxStore {
 public:
  // Applies the outbox migrations. The Database must outlive the repository.
  static Result<std::unique_ptr<SqliteOutboxRepository>> open(Database& db);

  Result<bool> insert(const OutboxEntry& e) override;
  Result<std::vector<OutboxEntry>> due(TimePoint now, int limit) override;
  Result<std::optional<OutboxEntry>> find(const std::string& idempotency_key) override;
  Status mark_sending(int64_t id, int attempts) override;
  Status mark_sent(int64_t id, TimePoint at) override;
  Status reschedule(int64_t id, TimePoint next_attempt, const std::string& error) override;
  Status finish(int64_t id, OutboxState final_state, const std::string& error) override;
  Result<int> recover_sending() override;
  Result<int> count_for_day(const std::string& destination, const std::string& day) override;
  Result<bool> ledger_contains(const std::string& ledger_key) override;
  Status prune(const std::string& destination, const std::string& fingerprint) override;
  Result<bool> is_pruned(const std::string& destination, const std::string& fingerprint) override;
  Result<std::optional<TimePoint>> next_attempt() override;
  Result<int> purge_finished(TimePoint before) override;

  // Every row (tests, `report`).
  Result<std::vector<OutboxEntry>> all();

 private:
  explicit SqliteOutboxRepository(Database& db) : db_(db) {}
  Status update_state(int64_t id, OutboxState state, const std::string& error);
  Result<std::vector<OutboxEntry>> select(std::string_view where_sql,
                                          const std::function<void(Statement&)>& bind);
  Database& db_;
};

}  // namespace branchcast
