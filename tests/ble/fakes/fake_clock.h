// A clock tests set by hand. Not thread-safe (tests drive it from the loop thread).
#pragma once

#include "common/clock.h"

namespace branchcast::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint now() const override { return now_; }
  MonoTime monotonic() const override { return MonoTime(now_.time_since_epoch()); }
  void set(TimePoint t) { now_ = t; }
  void advance(Duration d) { now_ += d; }

 private:
  TimePoint now_;
};

}  // namespace branchcast::testing
