#include "notify/outbox.h"

namespace branchcast {

Outbox::Outbox(OutboxStore& store, NotificationSender& sender, const RecipientDirectory& directory,
               NotifyPolicy& policy, std::function<double()> unit_random, Logger log, OutboxOptions options)
    : store_(store), sender_(sender), directory_(directory), policy_(policy),
      unit_random_(std::move(unit_random)), log_(std::move(log)), options_(options) {}

Result<EnqueueResult> Outbox::enqueue_for_patron(const PatronSettings& patron, const Prompt& prompt, TimePoint now) {
  return enqueue(RecipientDirectory::destination_of(patron), prompt, now);
}

Result<EnqueueResult> Outbox::enqueue_named(const std::string& name, const Prompt& prompt, TimePoint now) {
  return enqueue(RecipientDirectory::destination_of(name), prompt, now);
}

Result<EnqueueResult> Outbox::enqueue(const std::string& destination, const Prompt& prompt, TimePoint now) {
  EnqueueResult out;
  auto resolved = directory_.resolve(destination);
  if (!resolved) return make_error("notify: destination is not configured");
  std::string day = policy_.local_day(now);
  out.idempotency_key = make_idempotency_key(destination, prompt.prompt_id, day);
  auto existing = store_.find(out.idempotency_key);
  if (!existing) return existing.error();
  if (*existing) {
    out.duplicate = true;
    out.verdict = PolicyVerdict::kRepeat;
    return out;
  }
  std::string ledger = directory_.ledger_key(destination, prompt.prompt_id);
  RecipientHistory history;
  auto count = store_.count_for_day(destination, day);
  if (!count) return count.error();
  history.prompts_today = *count;
  auto seen = store_.ledger_contains(ledger);
  if (!seen) return seen.error();
  history.already_sent = *seen;
  out.verdict = policy_.check(display_url(resolved->destination.provider_url), history, now);
  if (out.verdict != PolicyVerdict::kAllow) return out;

  OutboxEntry e;
  e.idempotency_key = out.idempotency_key;
  e.destination = destination;
  e.ledger_key = ledger;
  e.prompt_id = prompt.prompt_id;
  e.day = day;
  e.title = prompt.content.title;
  e.message = prompt.content.message;
  e.click = prompt.content.click;
  e.tags = prompt.content.tags;
  e.priority = prompt.content.priority;
  e.created = now;
  e.expires = now + options_.ttl;
  e.next_attempt = now;
  auto inserted = store_.insert(e);
  if (!inserted) return inserted.error();
  out.queued = *inserted;
  out.duplicate = !*inserted;
  return out;
}

Result<int> Outbox::recover() {
  auto n = store_.recover_sending();
  if (n && *n > 0) log_.info("resuming " + std::to_string(*n) + " prompt(s) interrupted while sending");
  return n;
}

Result<TimePoint> Outbox::next_retry() {
  auto next = store_.next_attempt();
  if (!next) return next.error();
  return next->value_or(TimePoint::max());
}

Result<TickReport> Outbox::send_due(TimePoint now) {
  TickReport report;
  auto rows = store_.due(now, options_.batch);
  if (!rows) return rows.error();
  for (const auto& e : *rows)
    if (Status s = deliver(e, now, report); !s) return s.error();
  if (report.sent + report.failed + report.expired > 0) {
    if (auto purged = store_.purge_finished(now - options_.retention); !purged) return purged.error();
  }
  return report;
}

Status Outbox::deliver(const OutboxEntry& e, TimePoint now, TickReport& report) {
  std::string row = "prompt #" + std::to_string(e.id);
  if (e.expires <= now) {
    ++report.expired;
    log_.info(row + " expired unsent after " + std::to_string(e.attempts) + " attempt(s)");
    return store_.finish(e.id, OutboxState::kExpired, "expired");
  }
  auto resolved = directory_.resolve(e.destination);
  if (!resolved) {
    ++report.failed;
    log_.warn(row + " dropped: its recipient is no longer configured");
    return store_.finish(e.id, OutboxState::kFailed, "recipient no longer configured");
  }
  auto pruned = store_.is_pruned(e.destination, resolved->fingerprint);
  if (!pruned) return pruned.error();
  if (*pruned) {
    ++report.failed;
    return store_.finish(e.id, OutboxState::kFailed, "subscription gone");
  }
  if (Status s = store_.mark_sending(e.id, e.attempts + 1); !s) return s;

  Notification n;
  n.title = e.title;
  n.message = e.message;
  n.click = e.click;
  n.tags = e.tags;
  n.priority = e.priority;
  n.idempotency_key = e.idempotency_key;
  n.ttl = std::max(Duration(1000), std::chrono::duration_cast<Duration>(e.expires - now));
  SendResult r = sender_.send(resolved->destination, n, now);
  // Only the outcome and status go to the log and the table: the detail may echo an address.
  std::string what = std::string(to_string(r.outcome)) + (r.status ? " HTTP " + std::to_string(r.status) : "");
  std::string kind = display_url(resolved->destination.provider_url);
  kind = kind.substr(0, kind.find("://"));
  switch (r.outcome) {
    case SendOutcome::kDelivered:
      ++report.sent;
      log_.debug(row + " delivered via " + kind);
      return store_.mark_sent(e.id, now);
    case SendOutcome::kRetry: {
      Duration delay = full_jitter_delay(options_.backoff, e.attempts, unit_random_());
      if (r.retry_after) delay = std::max(delay, *r.retry_after);
      TimePoint next = now + delay;
      if (next >= e.expires) {
        ++report.expired;
        log_.info(row + " expired: " + what + " via " + kind + ", next try would be after its TTL");
        return store_.finish(e.id, OutboxState::kExpired, what);
      }
      ++report.retried;
      log_.info(row + " will retry: " + what + " via " + kind);
      return store_.reschedule(e.id, next, what);
    }
    case SendOutcome::kGone:
      ++report.pruned;
      ++report.failed;
      log_.warn(row + " failed: " + what + " via " + kind + "; subscription pruned");
      if (Status s = store_.prune(e.destination, resolved->fingerprint); !s) return s;
      return store_.finish(e.id, OutboxState::kFailed, what);
    case SendOutcome::kPermanent:
      ++report.failed;
      log_.warn(row + " failed permanently: " + what + " via " + kind);
      return store_.finish(e.id, OutboxState::kFailed, what);
  }
  return {};
}

}  // namespace branchcast
