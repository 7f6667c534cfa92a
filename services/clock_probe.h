// The OS side of clock trust (services/clock_trust.h): is the clock synchronised, and the last
// known good time kept in a file on the data partition.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "common/time.h"

namespace branchcast {

// True when <root>/run/systemd/timesync/synchronized exists (systemd-timesyncd touches it on its
// first sync after boot) or, when `use_kernel` is set, ntp_adjtime() reports STA_UNSYNC clear
// (chrony, ntpd). `root` is "/" on the appliance; tests pass a scratch folder and use_kernel =
// false. Any thread.
bool clock_synchronized(const std::string& root = "/", bool use_kernel = true);

// The last known good time: one line of Unix seconds in `path`, written atomically (temporary
// file, fsync, rename, fsync of the folder) so a power cut leaves the old or the new value.
class LastGoodTimeFile {
 public:
  explicit LastGoodTimeFile(std::string path) : path_(std::move(path)) {}
  // nullopt when missing or unreadable.
  std::optional<TimePoint> load() const;
  Status save(TimePoint t) const;

 private:
  std::string path_;
};

// Writes `data` to `path` atomically and durably (see LastGoodTimeFile). Creates no folders.
Status write_file_atomically(const std::string& path, const std::string& data);

}  // namespace branchcast
