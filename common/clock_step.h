// Clock steps: the wall clock set forward or back at once (on a Pi without RTC, NTP's first sync
// after fake-hwclock restored the last shutdown time; or a bad time source being corrected), told
// apart from time passing by comparing the wall clock's advance with the monotonic clock's.
//
// Pure: the loop reads both clocks once per turn and hands them to observe(). Loop thread only.
#pragma once

#include <optional>
#include <string>

#include "common/time.h"

namespace branchcast {

// Two seconds between two loop turns is far beyond anything but a step: NTP slews at most
// 500 ppm (0.5 ms per second, so a turn stalled for a minute drifts 30 ms), while timesyncd and
// chrony step the clock once the offset exceeds 0.4 s / 1 s. Smaller steps are left alone: they
// shift at most one item by under two seconds, less disruptive than starting the schedule again.
inline constexpr Duration kClockStepThreshold{2'000};

class ClockStepDetector {
 public:
  explicit ClockStepDetector(Duration threshold = kClockStepThreshold) : threshold_(threshold) {}

  // Call once per turn with the wall and monotonic times read in that turn. Returns the step -
  // how much further the wall clock moved than the monotonic clock since the previous call
  // (positive: set forward, negative: set back) - when its size exceeds the threshold; nullopt
  // on the first call and when the clocks moved together.
  std::optional<Duration> observe(TimePoint wall, MonoTime mono);

 private:
  Duration threshold_;
  std::optional<TimePoint> last_wall_;
  MonoTime last_mono_{};
};

// A pending deadline carried across a step: moved with the wall clock, so the wait left stays what
// it was (a refresh due in 10 min is still due in 10 min, not 3 h and 10 min after a step back).
// TimePoint::min() (due at once) and TimePoint::max() (never) stay as they are.
TimePoint shift_deadline(TimePoint deadline, Duration step);

// For log lines: "forward 93 days 4 h", "back 3 h", "back 2 min 30 s", "forward 2.5 s" (the two
// largest non-zero units of days, h, min, s; under a minute, seconds with one decimal).
std::string describe_clock_step(Duration step);

}  // namespace branchcast
