// The outbox: every prompt is written (committed, fsync'd) before it is sent; delivery is
// at-least-once with one idempotency key per (recipient pseudonym, prompt, local day).
//
// States: queued -> sending -> sent | failed | expired. A row is marked `sending` in its own
// commit before the network call and `sent` after it, so a crash (kill -9, power loss) between the
// two leaves it `sending`; recover() puts those back to `queued` and they go again with the same
// idempotency key (webhook-id, Web Push Topic, FCM data, email Message-ID) for the provider or the
// receiver to fold duplicates. Retries use exponential backoff with full jitter (random source
// injected) and honour Retry-After; 400/401/403 (after the Sender's one token refresh) stop
// retries; 404/410 also prune the address; rows older than the TTL expire unsent.
//
// Thread: one thread (the notify worker) owns an Outbox and its store; send_due() blocks on sending.
#pragma once

#include <functional>
#include <string>

#include "common/log.h"
#include "notify/backoff.h"
#include "notify/outbox_store.h"
#include "notify/policy.h"
#include "notify/recipients.h"
#include "notify/sender.h"

namespace branchcast {

struct OutboxOptions {
  BackoffPolicy backoff;
  Duration ttl{10 * 60'000};          // NotificationSettings::prompt_ttl
  int batch = 32;                     // rows per tick
  Duration retention{30LL * 24 * 3600 * 1000};  // finished rows kept this long (the ledger forever)
};

struct Prompt {
  std::string prompt_id;     // the content's id (event occurrence, title): drives the ledger
  Notification content;      // idempotency_key and ttl are filled in by the outbox
};

struct EnqueueResult {
  PolicyVerdict verdict = PolicyVerdict::kAllow;
  bool queued = false;       // a new row was written
  bool duplicate = false;    // the same (recipient, prompt, day) was already queued
  std::string idempotency_key;
};

struct TickReport {
  int sent = 0;
  int retried = 0;
  int failed = 0;
  int expired = 0;
  int pruned = 0;
};

class Outbox {
 public:
  // `unit_random` returns uniform doubles in [0, 1) for the jitter. All references outlive this.
  Outbox(OutboxStore& store, NotificationSender& sender, const RecipientDirectory& directory,
         NotifyPolicy& policy, std::function<double()> unit_random, Logger log, OutboxOptions options = {});

  // Checks policy, then writes the row. A personal prompt to a patron, or a branch prompt to a named
  // destination ("nearby"). Errors are database errors only.
  Result<EnqueueResult> enqueue_for_patron(const PatronSettings& patron, const Prompt& prompt, TimePoint now);
  Result<EnqueueResult> enqueue_named(const std::string& name, const Prompt& prompt, TimePoint now);

  // Call once at start-up: rows left `sending` by a crash go back to `queued`. Returns their count.
  Result<int> recover();
  // When send_due() next has work: the earliest retry, or TimePoint::max() when idle. Reads the
  // store (the worker calls it; the loop's Ticker is NearbyPrompts, appliance/nearby_prompts.h).
  Result<TimePoint> next_retry();
  // Sends every due row (at most options.batch), expiring stale ones first. Blocks on the sends.
  Result<TickReport> send_due(TimePoint now);

 private:
  Result<EnqueueResult> enqueue(const std::string& destination, const Prompt& prompt, TimePoint now);
  Status deliver(const OutboxEntry& e, TimePoint now, TickReport& report);

  OutboxStore& store_;
  NotificationSender& sender_;
  const RecipientDirectory& directory_;
  NotifyPolicy& policy_;
  std::function<double()> unit_random_;
  Logger log_;
  OutboxOptions options_;
};

}  // namespace branchcast
