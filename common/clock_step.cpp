#include "common/clock_step.h"

#include <cstdio>

namespace branchcast {

std::optional<Duration> ClockStepDetector::observe(TimePoint wall, MonoTime mono) {
  std::optional<Duration> step;
  if (last_wall_) {
    Duration d = (wall - *last_wall_) - (mono - last_mono_);
    if (d > threshold_ || d < -threshold_) step = d;
  }
  last_wall_ = wall;
  last_mono_ = mono;
  return step;
}

TimePoint shift_deadline(TimePoint deadline, Duration step) {
  if (deadline == TimePoint::min() || deadline == TimePoint::max()) return deadline;
  return deadline + step;
}

std::string describe_clock_step(Duration step) {
  std::string out = step.count() < 0 ? "back" : "forward";
  const long long ms = step.count() < 0 ? -step.count() : step.count();
  if (ms < 60'000) {
    char s[32];
    std::snprintf(s, sizeof s, " %.1f s", static_cast<double>(ms) / 1000.0);
    return out + s;
  }
  struct Unit {
    long long ms;
    const char* one;
    const char* many;
  };
  static constexpr Unit kUnits[] = {
      {86'400'000, "day", "days"}, {3'600'000, "h", "h"}, {60'000, "min", "min"}, {1'000, "s", "s"}};
  long long rest = ms;
  int shown = 0;
  for (const Unit& u : kUnits) {
    long long n = rest / u.ms;
    rest %= u.ms;
    if (shown > 0 && n == 0) break;  // "93 days 4 h", never "93 days 0 h 12 min"
    if (n == 0) continue;
    out += " " + std::to_string(n) + " " + (n == 1 ? u.one : u.many);
    if (++shown == 2) break;
  }
  return out;
}

}  // namespace branchcast
