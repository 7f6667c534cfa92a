#include "services/override_watcher.h"

namespace branchcast {
namespace {

bool same(const std::optional<Override>& a, const std::optional<Override>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->text == b->text && a->until == b->until);
}

}  // namespace

OverrideWatcher::OverrideWatcher(OverrideRepository& repo, Logger log, Duration poll)
    : repo_(&repo), log_(std::move(log)), poll_(poll) {}

std::optional<std::optional<Override>> OverrideWatcher::tick(TimePoint now) {
  // A deadline further away than one period means the wall clock jumped back: poll now.
  if (now < next_ && next_ - now <= poll_) return std::nullopt;  // (poll_now(): next_ is min)
  next_ = now + poll_;
  auto active = repo_->active(now);
  if (!active) {
    if (!error_logged_) log_.warn("cannot read the emergency override: " + active.error().message);
    error_logged_ = true;
    return std::nullopt;
  }
  error_logged_ = false;
  std::optional<Override> current;
  if (*active) current = Override{(*active)->text, (*active)->until};
  if (!first_ && same(current, last_)) return std::nullopt;
  // An override that merely expired is ended by the scheduler itself; report it anyway so the
  // loop's view stays in step.
  first_ = false;
  last_ = current;
  log_.info(current ? "emergency override on" : "emergency override off");
  return std::optional<std::optional<Override>>{current};
}

}  // namespace branchcast
