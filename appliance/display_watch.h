// No display at start while running as a service (issue 14): the appliance keeps running (beacon,
// presence, prompts, telemetry, health) and looks for a display again with backoff - 5 s, then
// doubling up to 5 min - so that a monitor plugged in (or a TV switched on) later lights up. When
// one is found the run ends asking to run again (appliance.h, kRunAgain), which opens the
// screens on it.
//
// Pure core (DisplayWatch: when to look, on the monotonic clock) and one probe adapter
// (display_connected: a DRM connector whose sysfs status reads "connected"). Loop thread only.
#pragma once

#include <functional>
#include <string>

#include "common/time.h"

namespace branchcast {

class DisplayWatch {
 public:
  using Probe = std::function<bool()>;
  static constexpr Duration kFirstRetry{5'000};
  static constexpr Duration kMaxRetry{300'000};

  DisplayWatch(Probe probe, MonoTime now) : probe_(std::move(probe)), next_(now + kFirstRetry) {}

  MonoTime next_deadline() const { return next_; }
  // At next_deadline(): true when a display is there now; otherwise the next look is scheduled
  // with the wait doubled (at most kMaxRetry).
  bool tick(MonoTime now);
  int attempts() const { return attempts_; }

 private:
  Probe probe_;
  MonoTime next_;
  Duration wait_ = kFirstRetry;
  int attempts_ = 0;
};

// True when a DRM connector under `drm_class_dir` (/sys/class/drm: card0-HDMI-A-1/status, ...)
// reports "connected".
bool display_connected(const std::string& drm_class_dir = "/sys/class/drm");

}  // namespace branchcast
