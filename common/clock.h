// Clock port: the event loop reads it once per turn and passes `now` down. Cores never call it.
#pragma once

#include <chrono>

#include "common/time.h"

namespace branchcast {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall time (UTC). May jump when the system clock is set.
  virtual TimePoint now() const = 0;
  // Monotonic time for measuring intervals; never jumps.
  virtual MonoTime monotonic() const = 0;
};

// The system's clocks. Thread-safe.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
  MonoTime monotonic() const override;
};

}  // namespace branchcast
