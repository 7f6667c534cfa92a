// GIO adapter (GFileMonitor, g_unix_signal_add) for ConfigReloader.
#include "services/config_watcher.h"

#include <gio/gio.h>
#include <glib-unix.h>

#include <csignal>
#include <filesystem>
#include <map>
#include <set>

namespace branchcast {
namespace {

class GioConfigWatcher final : public ConfigWatcher {
 public:
  GioConfigWatcher(ConfigReloader& r, Options o, Logger log) : reloader_(r), options_(o), log_(std::move(log)) {}

  ~GioConfigWatcher() override {
    reloader_.set_on_settled(nullptr);
    if (sighup_id_) g_source_remove(sighup_id_);
    if (debounce_id_) g_source_remove(debounce_id_);
    clear_monitors();
  }

  void start() {
    // Monitors are set up again once a reload has settled (a load on a worker settles later).
    reloader_.set_on_settled([this](ConfigReloader::Outcome) { refresh_monitors(); });
    if (options_.watch_sighup) sighup_id_ = g_unix_signal_add(SIGHUP, &on_sighup, this);
    refresh_monitors();
  }

  std::vector<std::string> watched_folders() const override {
    std::vector<std::string> out;
    for (const auto& [dir, m] : monitors_) out.push_back(dir);
    return out;
  }

 private:
  void clear_monitors() {
    for (auto& [dir, m] : monitors_) {
      g_signal_handlers_disconnect_by_data(m, this);
      g_file_monitor_cancel(m);
      g_object_unref(m);
    }
    monitors_.clear();
  }

  void refresh_monitors() {
    names_.clear();
    std::set<std::string> dirs;
    for (const auto& f : reloader_.watched_files()) {
      std::filesystem::path p = std::filesystem::path(f).lexically_normal();
      names_.insert(p.string());
      dirs.insert(p.parent_path().string());
      // A folder reached through a symbolic link (content sync's `current`): a monitor follows
      // the folder the link pointed at when it was set up, so also watch the link itself.
      std::error_code ec;
      for (auto a = p.parent_path(); a.has_relative_path(); a = a.parent_path()) {
        if (!std::filesystem::is_symlink(a, ec)) continue;
        names_.insert(a.string());
        dirs.insert(a.parent_path().string());
      }
    }
    clear_monitors();
    for (const auto& dir : dirs) {
      GFile* file = g_file_new_for_path(dir.c_str());
      GError* err = nullptr;
      GFileMonitor* m = g_file_monitor_directory(file, G_FILE_MONITOR_WATCH_MOVES, nullptr, &err);
      g_object_unref(file);
      if (!m) {
        log_.warn("cannot watch " + dir + " for changes (SIGHUP still reloads): " + err->message);
        g_error_free(err);
        continue;
      }
      g_signal_connect(m, "changed", G_CALLBACK(&on_changed), this);
      monitors_[dir] = m;
    }
  }

  static void on_changed(GFileMonitor*, GFile* file, GFile* other, GFileMonitorEvent event, gpointer p) {
    auto* self = static_cast<GioConfigWatcher*>(p);
    if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED || event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT ||
        event == G_FILE_MONITOR_EVENT_UNMOUNTED)
      return;
    bool relevant = self->is_watched(file) || (other && self->is_watched(other));
    if (!relevant) return;
    char* path = g_file_get_path(other && self->is_watched(other) ? other : file);
    self->pending_why_ = std::string(path ? path : "a configuration file") + " changed";
    g_free(path);
    if (self->debounce_id_) g_source_remove(self->debounce_id_);
    self->debounce_id_ = g_timeout_add(static_cast<guint>(self->options_.debounce.count()), &on_debounced, self);
  }

  bool is_watched(GFile* f) const {
    char* path = g_file_get_path(f);
    bool yes = path && names_.count(std::filesystem::path(path).lexically_normal().string()) > 0;
    g_free(path);
    return yes;
  }

  static gboolean on_debounced(gpointer p) {
    auto* self = static_cast<GioConfigWatcher*>(p);
    self->debounce_id_ = 0;
    self->reload(self->pending_why_, false);
    return G_SOURCE_REMOVE;
  }

  static gboolean on_sighup(gpointer p) {
    static_cast<GioConfigWatcher*>(p)->reload("SIGHUP", true);
    return G_SOURCE_CONTINUE;
  }

  // Monitors are set up again after every reload: a swapped symlink leaves the old ones on the
  // folders it used to point at.
  void reload(const std::string& why, bool force) { reloader_.reload(why, force); }

  ConfigReloader& reloader_;
  Options options_;
  Logger log_;
  guint sighup_id_ = 0;
  guint debounce_id_ = 0;
  std::string pending_why_;
  std::set<std::string> names_;
  std::map<std::string, GFileMonitor*> monitors_;
};

}  // namespace

Result<std::unique_ptr<ConfigWatcher>> ConfigWatcher::start(ConfigReloader& reloader, Options options, Logger log) {
  auto w = std::make_unique<GioConfigWatcher>(reloader, options, std::move(log));
  w->start();
  return std::unique_ptr<ConfigWatcher>(std::move(w));
}

}  // namespace branchcast
