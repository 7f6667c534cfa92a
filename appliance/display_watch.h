// No display at start while running as a service (issue 14): the appliance keeps running (beacon,
// presence, prompts, telemetry, health) and looks for a display again with backoff - 5 s, then
// doubling up to 5 min - so that a monitor plugged in (or a TV switched on) later lights up. When
// one is found the run ends asking to run again (appliance.h, kRunAgain), which opens the
// screens on it.
//
// DisplayWatch is a Ticker (common/ticker.h) on the run loop: due at the next look; a wall-clock
// step moves that look with the clock (the wait left stays what it was). Pure apart from the
// injected probe; display_connected is the probe adapter (a DRM connector whose sysfs status
// reads "connected"). Loop thread only.
#pragma once

#include <functional>
#include <string>

#include "common/ticker.h"
#include "common/time.h"

namespace branchcast {

class DisplayWatch final : public Ticker {
 public:
  using Probe = std::function<bool()>;
  static constexpr Duration kFirstRetry{5'000};
  static constexpr Duration kMaxRetry{300'000};

  // Looks first at now + kFirstRetry; `found` is called once, in the turn a look finds a display
  // (the watch is done then: no deadline any more).
  DisplayWatch(Probe probe, TimePoint now, std::function<void()> found)
      : probe_(std::move(probe)), found_(std::move(found)), next_(now + kFirstRetry) {}

  // The next look; TimePoint::max() once a display was found.
  TimePoint next_deadline(TimePoint now) const override;
  // At next_deadline(): probes; a display there now calls `found`, otherwise the next look is
  // scheduled with the wait doubled (at most kMaxRetry). Not due: nothing.
  void tick(const Turn& turn) override;
  void clock_stepped(Duration step, const Turn& turn) override;

  int attempts() const { return attempts_; }
  bool found() const { return done_; }

 private:
  Probe probe_;
  std::function<void()> found_;
  TimePoint next_;
  Duration wait_ = kFirstRetry;
  int attempts_ = 0;
  bool done_ = false;
};

// True when a DRM connector under `drm_class_dir` (/sys/class/drm: card0-HDMI-A-1/status, ...)
// reports "connected".
bool display_connected(const std::string& drm_class_dir = "/sys/class/drm");

}  // namespace branchcast
