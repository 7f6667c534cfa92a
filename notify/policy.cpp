#include "notify/policy.h"

#include <algorithm>

#include "config/branch_hours.h"

namespace branchcast {
namespace {

bool in_window(const TimeWindow& w, int minute) {
  if (w.crosses_midnight()) return minute >= w.start.minutes || minute < w.end.minutes;
  return minute >= w.start.minutes && minute < w.end.minutes;
}


}  // namespace

PolicyConfig policy_config(const BranchSettings& branch, const NotificationSettings& n) {
  PolicyConfig c;
  c.opening_hours = branch.opening_hours;
  c.opening_hours_given = branch.opening_hours_given;
  c.closures = branch.closures;
  c.special_hours = branch.special_hours;
  c.quiet_hours = n.quiet_hours;
  c.max_per_patron_per_day = n.max_per_patron_per_day;
  return c;
}

const char* to_string(PolicyVerdict v) {
  switch (v) {
    case PolicyVerdict::kAllow: return "allowed";
    case PolicyVerdict::kClosed: return "library closed";
    case PolicyVerdict::kQuietHours: return "quiet hours";
    case PolicyVerdict::kDailyLimit: return "daily limit reached";
    case PolicyVerdict::kRepeat: return "already sent";
    case PolicyVerdict::kRateLimited: return "provider rate limit";
  }
  return "?";
}

TokenBucket::TokenBucket(int capacity, Duration refill, TimePoint now)
    : capacity_(std::max(1, capacity)), refill_(std::max(Duration(1), refill)), tokens_(capacity_), last_(now) {}

int TokenBucket::available(TimePoint now) const {
  double elapsed = static_cast<double>(std::max(Duration(0), now - last_).count());
  return static_cast<int>(std::min<double>(capacity_, tokens_ + elapsed / static_cast<double>(refill_.count())));
}

bool TokenBucket::try_take(TimePoint now) {
  if (now > last_) {
    double elapsed = static_cast<double>((now - last_).count());
    tokens_ = std::min<double>(capacity_, tokens_ + elapsed / static_cast<double>(refill_.count()));
    last_ = now;
  }
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

NotifyPolicy::NotifyPolicy(PolicyConfig config, TimeZone zone) : config_(std::move(config)), zone_(std::move(zone)) {}

bool NotifyPolicy::is_open(TimePoint now) const {
  // The branch's real hours: weekly hours, special hours, closures (one core for every module).
  BranchSettings b;
  b.opening_hours = config_.opening_hours;
  b.opening_hours_given = config_.opening_hours_given;
  b.closures = config_.closures;
  b.special_hours = config_.special_hours;
  return BranchHours(b).open_at(zone_.to_local(now));
}

bool NotifyPolicy::in_quiet_hours(TimePoint now) const {
  return config_.quiet_hours && in_window(*config_.quiet_hours, zone_.to_local(now).minute_of_day());
}

std::string NotifyPolicy::local_day(TimePoint now) const {
  return format_date(std::chrono::year_month_day{zone_.to_local(now).date});
}

PolicyVerdict NotifyPolicy::check(const std::string& provider, const RecipientHistory& history, TimePoint now) {
  if (!is_open(now)) return PolicyVerdict::kClosed;
  if (in_quiet_hours(now)) return PolicyVerdict::kQuietHours;
  if (history.already_sent) return PolicyVerdict::kRepeat;
  if (history.prompts_today >= config_.max_per_patron_per_day) return PolicyVerdict::kDailyLimit;
  auto it = buckets_.find(provider);
  if (it == buckets_.end())
    it = buckets_.emplace(provider, TokenBucket(config_.bucket_capacity, config_.bucket_refill, now)).first;
  if (!it->second.try_take(now)) return PolicyVerdict::kRateLimited;
  return PolicyVerdict::kAllow;
}

}  // namespace branchcast
