#include "notify/policy.h"

#include <algorithm>

namespace branchcast {
namespace {

bool in_window(const TimeWindow& w, int minute) {
  if (w.crosses_midnight()) return minute >= w.start.minutes || minute < w.end.minutes;
  return minute >= w.start.minutes && minute < w.end.minutes;
}

int iso_index(std::chrono::weekday wd) { return static_cast<int>(wd.iso_encoding()) - 1; }

}  // namespace

PolicyConfig policy_config(const BranchSettings& branch, const NotificationSettings& n) {
  PolicyConfig c;
  c.opening_hours = branch.opening_hours;
  c.opening_hours_given = branch.opening_hours_given;
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
  if (!config_.opening_hours_given) return true;
  LocalTime lt = zone_.to_local(now);
  int minute = lt.minute_of_day();
  int today = iso_index(lt.weekday());
  for (const auto& w : config_.opening_hours.by_weekday[today])
    if (w.crosses_midnight() ? minute >= w.start.minutes : in_window(w, minute)) return true;
  int yesterday = (today + 6) % 7;  // a window crossing midnight belongs to the day it starts on
  for (const auto& w : config_.opening_hours.by_weekday[yesterday])
    if (w.crosses_midnight() && minute < w.end.minutes) return true;
  return false;
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
