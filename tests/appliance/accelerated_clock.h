// A clock that runs `factor` times faster than the system's from the moment it is made: wall
// time starts at `start`, monotonic time at the real monotonic time. Tests and the soak benchmark
// (bench/daemon) use it to run the real loop (GLib timers, GStreamer, SDL) through hours of
// schedule in minutes; only the times the loop reads are accelerated. Thread-safe.
#pragma once

#include <chrono>

#include "common/clock.h"

namespace branchcast::test_support {

class AcceleratedClock final : public Clock {
 public:
  AcceleratedClock(double factor, TimePoint start)
      : factor_(factor), start_(start), real0_(std::chrono::steady_clock::now()),
        mono0_(std::chrono::time_point_cast<Duration>(real0_)) {}
  TimePoint now() const override { return start_ + elapsed(); }
  MonoTime monotonic() const override { return MonoTime(mono0_.time_since_epoch()) + elapsed(); }
  double factor() const { return factor_; }

 private:
  Duration elapsed() const {
    std::chrono::duration<double, std::milli> real = std::chrono::steady_clock::now() - real0_;
    return Duration(static_cast<Duration::rep>(real.count() * factor_));
  }
  double factor_;
  TimePoint start_;
  std::chrono::steady_clock::time_point real0_;
  std::chrono::time_point<std::chrono::steady_clock, Duration> mono0_;
};

}  // namespace branchcast::test_support
