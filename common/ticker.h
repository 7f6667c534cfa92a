// The one protocol of everything with deadlines (issue 12). The run loop reads the clocks once per
// turn into a Turn and, for every Ticker: ticks it when turn.now >= next_deadline(turn.now), tells
// it about a wall-clock step (common/clock_step.h, one detector in the loop) with the step and the
// turn it was seen in, and sleeps until the earliest next_deadline() of them all.
//
// Contract for implementers: loop thread only; next_deadline() is cheap and pure (no I/O, no
// clock reads); TimePoint::max() means "nothing due" and a time <= now means "due now";
// clock_stepped() moves pending deadlines with the step (shift_deadline) or re-anchors them on
// turn.now; it is called before tick() in the same turn.
#pragma once

#include <algorithm>

#include "common/time.h"

namespace branchcast {

// One loop turn: the wall clock and the monotonic clock, read once.
struct Turn {
  TimePoint now;
  MonoTime mono;
};

class Ticker {
 public:
  virtual ~Ticker() = default;
  virtual TimePoint next_deadline(TimePoint now) const = 0;
  virtual void tick(const Turn& turn) = 0;
  virtual void clock_stepped(Duration step, const Turn& turn) = 0;
};

// The wait from `now` until `deadline`, clamped to [0, cap] (deadlines in the past: 0).
inline Duration wait_until(TimePoint deadline, TimePoint now, Duration cap) {
  if (deadline <= now) return Duration(0);
  if (deadline == TimePoint::max() || deadline - now > cap) return cap;
  return std::chrono::duration_cast<Duration>(deadline - now);
}

}  // namespace branchcast
