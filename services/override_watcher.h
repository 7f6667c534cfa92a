// Picks up emergency overrides written by `branchcast override` (another process) from SQLite.
//
// Deadline style: the loop calls tick(now) when next_deadline() is reached (every `poll`, default
// 10 s: one indexed single-row SELECT, or at once after poll_now(): `branchcast override` pokes
// the daemon, services/override_poke.h, so a new override is read within a turn); tick() returns the new override state only when it
// differs from what it last returned, and the loop passes it to every screen's
// Scheduler::set_override(o, now). Expiry needs no poll: the Override carries `until`, and the
// scheduler ends it itself. A database error is logged once and the last state is kept.
// Loop thread only; the repository's Database must be the loop's own.
#pragma once

#include <optional>

#include "common/log.h"
#include "common/time.h"
#include "scheduler/scheduler.h"
#include "store/override_repository.h"

namespace branchcast {

class OverrideWatcher {
 public:
  static constexpr Duration kDefaultPoll{10'000};
  OverrideWatcher(OverrideRepository& repo, Logger log, Duration poll = kDefaultPoll);

  TimePoint next_deadline() const { return next_; }
  // The table changed (a poke): the next tick() reads it, whatever the time.
  void poll_now() { next_ = TimePoint::min(); }
  // Outer optional: set when the state changed (always on the first tick); inner: the override
  // in force, or nullopt when there is none.
  std::optional<std::optional<Override>> tick(TimePoint now);

 private:
  OverrideRepository* repo_;
  Logger log_;
  Duration poll_;
  TimePoint next_{};
  bool first_ = true;
  bool error_logged_ = false;
  std::optional<Override> last_;
};

}  // namespace branchcast
