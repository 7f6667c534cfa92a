// GIO adapter driving ConfigReloader: SIGHUP (g_unix_signal_add) and file changes (GFileMonitor
// on the folders of appliance.yaml and the playlists, filtered by file name, so editors that
// save by rename are seen too). When a watched file's folder is reached through a symbolic link
// (content sync's <dest>/current), the link is watched too: renaming a new link over it (a
// content swap) triggers a reload, whose fingerprint includes the real content_root, so the
// new version is handed over even when its YAML files are unchanged.
//
// Changes are debounced: a reload runs once `debounce` has passed without further change. SIGHUP
// reloads at once and hands the configuration over even when the files are unchanged. After
// each reload the watched set follows the configuration playing (a new playlist is watched).
// Loop thread only (the default GMainContext); destroying the watcher stops everything.
#pragma once

#include <memory>

#include "common/result.h"
#include "common/time.h"
#include "services/config_reloader.h"

namespace branchcast {

class ConfigWatcher {
 public:
  struct Options {
    Duration debounce{500};
    bool watch_sighup = true;
  };
  // `reloader` must outlive the watcher.
  static Result<std::unique_ptr<ConfigWatcher>> start(ConfigReloader& reloader, Options options, Logger log);
  virtual ~ConfigWatcher() = default;
  // Folders monitored now (for tests and logs).
  virtual std::vector<std::string> watched_folders() const = 0;
};

}  // namespace branchcast
