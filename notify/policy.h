// Notification policy: may this prompt be queued now? Pure: takes `now` and the facts the outbox
// knows (how many prompts this recipient got today, whether this prompt already went to them);
// reads no clock and no database. The token buckets are in-memory state of this object (they
// start full after a restart: at most one extra burst).
//
// Thread: the owner's (the loop or the outbox worker); no locks.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/time_zone.h"
#include "config/settings.h"

namespace branchcast {

struct PolicyConfig {
  OpeningHours opening_hours;
  bool opening_hours_given = false;   // not given: no opening-hours restriction
  std::vector<Closure> closures;      // real hours (config/branch_hours.h): closed on these days
  std::vector<SpecialHours> special_hours;
  std::optional<TimeWindow> quiet_hours;
  int max_per_patron_per_day = 1;
  int bucket_capacity = 10;           // per provider: a burst of this many
  Duration bucket_refill{6'000};      // one token back every this long
};
PolicyConfig policy_config(const BranchSettings& branch, const NotificationSettings& n);

enum class PolicyVerdict { kAllow, kClosed, kQuietHours, kDailyLimit, kRepeat, kRateLimited };
const char* to_string(PolicyVerdict v);

struct RecipientHistory {
  int prompts_today = 0;   // queued, sending or sent today (local day) to this recipient
  bool already_sent = false;  // this prompt is in the recipient's ledger (or queued for them)
};

// Token bucket (capacity, one token per refill interval). Pure; `now` passed in.
class TokenBucket {
 public:
  TokenBucket(int capacity, Duration refill, TimePoint now);
  bool try_take(TimePoint now);
  int available(TimePoint now) const;

 private:
  int capacity_;
  Duration refill_;
  double tokens_;
  TimePoint last_;
};

class NotifyPolicy {
 public:
  NotifyPolicy(PolicyConfig config, TimeZone zone);

  // Checks, in order: opening hours, quiet hours, repeat, daily limit, then takes a token from
  // `provider`'s bucket (only when everything else allows).
  PolicyVerdict check(const std::string& provider, const RecipientHistory& history, TimePoint now);

  bool is_open(TimePoint now) const;
  bool in_quiet_hours(TimePoint now) const;
  // "YYYY-MM-DD" of now in the branch's zone (the "day" of daily limits and idempotency keys).
  std::string local_day(TimePoint now) const;
  const TimeZone& zone() const { return zone_; }

 private:
  PolicyConfig config_;
  TimeZone zone_;
  std::map<std::string, TokenBucket> buckets_;
};

}  // namespace branchcast
