// systemd service notification (sd_notify(3)) for a Type=notify unit with WatchdogSec=.
//
// The loop calls ready() after the first frame is presented, status() when something worth a
// line in `systemctl status` happens, stopping() when it begins to shut down, and watchdog() from
// a loop timer every watchdog_period() (half of WATCHDOG_USEC) so that a stalled loop stops
// petting and systemd restarts the service. Everything is a no-op returning false when
// NOTIFY_SOCKET is unset (a foreground run from a shell). Loop thread only.
#pragma once

#include <optional>
#include <string>

#include "common/time.h"

namespace branchcast {

class SdNotifier {
 public:
  // Reads NOTIFY_SOCKET / WATCHDOG_USEC / WATCHDOG_PID once, now.
  SdNotifier();

  bool enabled() const { return enabled_; }
  // Half of WATCHDOG_USEC when the watchdog is on for this process; nullopt otherwise.
  std::optional<Duration> watchdog_period() const { return watchdog_period_; }

  // Each returns true when the message was delivered to systemd.
  bool ready();                          // READY=1 (once; later calls do nothing)
  bool watchdog();                       // WATCHDOG=1
  bool status(const std::string& line);  // STATUS=<line> (newlines replaced by spaces)
  bool stopping();                       // STOPPING=1

 private:
  bool send(const std::string& message);
  bool enabled_ = false;
  bool ready_sent_ = false;
  std::optional<Duration> watchdog_period_;
};

}  // namespace branchcast
