// Config reload: validate first, hand over only a valid configuration, keep the last good one.
//
// reload() runs the injected loader (config/loader.h's load_appliance in the product) on
// appliance.yaml. With errors, every error is logged compiler style and nothing is handed over:
// the last good configuration keeps playing. Without errors, when the watched files' contents (or
// the real content_root, which a content sync swap changes)
// differ from the last good configuration's (or `force`, as SIGHUP does), on_valid receives the
// new settings. Loop thread only; the GIO adapter (services/config_watcher.h) calls reload() on
// SIGHUP and on file changes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/log.h"
#include "config/loader.h"

namespace branchcast {

using ApplianceLoader = std::function<Loaded<ApplianceSettings>(const std::string& path)>;

class ConfigReloader {
 public:
  // `current` is the configuration playing now (loaded at start-up).
  ConfigReloader(ApplianceSettings current, ApplianceLoader loader,
                 std::function<void(const ApplianceSettings&)> on_valid, Logger log);

  enum class Outcome { kApplied, kUnchanged, kRefused };
  // `why` goes in the log ("SIGHUP", "playlists/entrance.yaml changed").
  Outcome reload(const std::string& why, bool force = false);

  // appliance.yaml, every playlist, and the patrons file of the configuration playing now.
  std::vector<std::string> watched_files() const;
  const ApplianceSettings& current() const { return current_; }
  bool last_refused() const { return last_refused_; }

 private:
  std::string fingerprint(const ApplianceSettings& s) const;

  ApplianceSettings current_;
  ApplianceLoader loader_;
  std::function<void(const ApplianceSettings&)> on_valid_;
  Logger log_;
  std::string fingerprint_;
  bool last_refused_ = false;
};

}  // namespace branchcast
