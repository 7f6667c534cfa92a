#include "appliance/doctor_feeds.h"

namespace branchcast {
namespace {

std::string ago(TimePoint then, TimePoint now) {
  auto d = std::chrono::duration_cast<std::chrono::minutes>(now - then);
  if (d.count() < 1) return "just now";
  if (d.count() < 120) return std::to_string(d.count()) + " min ago";
  if (d.count() < 48 * 60) return std::to_string(d.count() / 60) + " h ago";
  return std::to_string(d.count() / (24 * 60)) + " days ago";
}

}  // namespace

CheckResult check_feed_statuses(const std::vector<FeedSettings>& feeds, const std::vector<FeedStatus>& statuses,
                                TimePoint now, const std::string& closures_feed) {
  CheckResult r;
  r.name = "feeds";
  if (feeds.empty()) {
    r.message = "no feeds configured";
    return r;
  }
  std::vector<std::string> problems;
  int fresh = 0;
  for (const auto& f : feeds) {
    const FeedStatus* st = nullptr;
    for (const auto& s : statuses)
      if (s.feed_id == f.id) st = &s;
    if (!st || (!st->last_success && st->last_error.empty())) {
      problems.push_back(f.id + ": never fetched");
    } else if (!st->last_error.empty()) {
      std::string p = f.id + ": last attempt failed";
      if (st->last_error_at) p += " " + ago(*st->last_error_at, now);
      p += " (" + st->last_error + ")";
      if (f.id == closures_feed)
        p += st->last_success ? "; the closures feed: keeping its closures from " + ago(*st->last_success, now)
                              : "; the closures feed: no closures from it yet";
      else
        p += st->last_success ? "; showing the copy from " + ago(*st->last_success, now) : "; no copy yet";
      problems.push_back(p);
    } else if (now - *st->last_success > 3 * f.refresh) {
      problems.push_back(f.id + ": last fetched " + ago(*st->last_success, now) + " (refresh " +
                         format_duration(f.refresh) + ")");
    } else {
      ++fresh;
    }
  }
  if (problems.empty()) {
    r.message = std::to_string(fresh) + " feed(s) fresh";
    return r;
  }
  r.level = CheckLevel::kWarn;
  for (size_t i = 0; i < problems.size(); ++i) r.message += (i ? "; " : "") + problems[i];
  r.hint = "check the feed URLs and the network (doctor's network check); the last good copies keep playing";
  return r;
}

}  // namespace branchcast
