// A clock tests set by hand. Not thread-safe (tests drive it from the loop thread).
// set()/advance() move both clocks; step() moves the wall clock only (an NTP step, a clock set by
// hand): the monotonic clock goes on as before.
#pragma once

#include "common/clock.h"

namespace branchcast::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint now() const override { return now_; }
  MonoTime monotonic() const override { return MonoTime(now_.time_since_epoch() - stepped_); }
  void set(TimePoint t) { now_ = t; }
  void advance(Duration d) { now_ += d; }
  void step(Duration d) {
    now_ += d;
    stepped_ += d;
  }

 private:
  TimePoint now_;
  Duration stepped_{0};
};

}  // namespace branchcast::testing
