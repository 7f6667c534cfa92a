// The outbox's persistence port (implemented by store/outbox_repository). Header-only types.
//
// Nothing identifying is stored: `destination` is "patron:<pseudonym>" (a keyed hash of the patron
// id, keyed with the patron's own identity key) or "named:<name>" (a configured branch topic);
// the provider address is re-resolved from the loaded configuration at send time. `ledger_key` is
// a keyed hash of (patron, prompt). Every state change is one committed (fsync'd) transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace branchcast {

enum class OutboxState { kQueued, kSending, kSent, kFailed, kExpired };

inline const char* to_string(OutboxState s) {
  switch (s) {
    case OutboxState::kQueued: return "queued";
    case OutboxState::kSending: return "sending";
    case OutboxState::kSent: return "sent";
    case OutboxState::kFailed: return "failed";
    case OutboxState::kExpired: return "expired";
  }
  return "?";
}

struct OutboxEntry {
  int64_t id = 0;
  std::string idempotency_key;  // unique per (pseudonym, prompt, local day)
  std::string destination;      // "patron:<hex>" or "named:<name>"
  std::string ledger_key;       // keyed hash of (recipient, prompt)
  std::string prompt_id;        // content id (event, title): not identifying
  std::string day;              // local day, YYYY-MM-DD
  std::string title;
  std::string message;
  std::string click;
  std::vector<std::string> tags;
  int priority = 3;
  TimePoint created{};
  TimePoint expires{};
  TimePoint next_attempt{};
  int attempts = 0;
  OutboxState state = OutboxState::kQueued;
  std::string last_error;       // status-level only ("retry: HTTP 503")
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;
  // Inserts a queued row; false (and nothing written) when the idempotency key already exists.
  virtual Result<bool> insert(const OutboxEntry& e) = 0;
  // Queued rows with next_attempt <= now, oldest first, at most `limit`.
  virtual Result<std::vector<OutboxEntry>> due(TimePoint now, int limit) = 0;
  virtual Result<std::optional<OutboxEntry>> find(const std::string& idempotency_key) = 0;
  virtual Status mark_sending(int64_t id, int attempts) = 0;
  // sent, and the ledger row, in one transaction.
  virtual Status mark_sent(int64_t id, TimePoint at) = 0;
  virtual Status reschedule(int64_t id, TimePoint next_attempt, const std::string& error) = 0;
  virtual Status finish(int64_t id, OutboxState final_state, const std::string& error) = 0;
  // After a crash: every `sending` row back to `queued` (sent again, with the same key). Count.
  virtual Result<int> recover_sending() = 0;
  // Rows for this destination and day that are queued, sending or sent.
  virtual Result<int> count_for_day(const std::string& destination, const std::string& day) = 0;
  // The ledger holds the key, or a queued/sending row carries it.
  virtual Result<bool> ledger_contains(const std::string& ledger_key) = 0;
  virtual Status prune(const std::string& destination, const std::string& fingerprint) = 0;
  virtual Result<bool> is_pruned(const std::string& destination, const std::string& fingerprint) = 0;
  // Earliest next_attempt of a queued row.
  virtual Result<std::optional<TimePoint>> next_attempt() = 0;
  // Deletes finished rows created before `before` (the ledger is kept). Count.
  virtual Result<int> purge_finished(TimePoint before) = 0;
};

}  // namespace branchcast
