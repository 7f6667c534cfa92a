// sd_ adapter: libsystemd's sd_notify.
#include "services/sd_notifier.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace branchcast {

SdNotifier::SdNotifier() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  enabled_ = socket != nullptr && *socket != '\0';
  uint64_t usec = 0;
  if (enabled_ && sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
    watchdog_period_ = std::chrono::duration_cast<Duration>(std::chrono::microseconds(usec / 2));
}

bool SdNotifier::send(const std::string& message) {
  if (!enabled_) return false;
  return sd_notify(0, message.c_str()) > 0;
}

bool SdNotifier::ready() {
  if (ready_sent_) return false;
  ready_sent_ = send("READY=1\nSTATUS=playing");
  return ready_sent_;
}

bool SdNotifier::watchdog() { return send("WATCHDOG=1"); }

bool SdNotifier::status(const std::string& line) {
  std::string clean = line;
  for (char& c : clean)
    if (c == '\n' || c == '\r') c = ' ';
  return send("STATUS=" + clean);
}

bool SdNotifier::stopping() { return send("STOPPING=1\nSTATUS=stopping"); }

}  // namespace branchcast
