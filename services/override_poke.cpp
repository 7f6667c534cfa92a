#include "services/override_poke.h"

#include <gio/gio.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace branchcast {
namespace {

constexpr const char* kName = "override";

class GioOverridePokeWatch final : public OverridePokeWatch {
 public:
  GioOverridePokeWatch(GFileMonitor* monitor, std::function<void()> poked)
      : monitor_(monitor), poked_(std::move(poked)) {
    g_signal_connect(monitor_, "changed", G_CALLBACK(&on_changed), this);
  }
  ~GioOverridePokeWatch() override {
    g_signal_handlers_disconnect_by_data(monitor_, this);
    g_file_monitor_cancel(monitor_);
    g_object_unref(monitor_);
  }

 private:
  static bool is_poke(GFile* f) {
    if (!f) return false;
    char* base = g_file_get_basename(f);
    bool yes = base && std::string(base) == kName;
    g_free(base);
    return yes;
  }
  // A rename over the file arrives as RENAMED (other = the poke) or MOVED_IN (file = the poke).
  static void on_changed(GFileMonitor*, GFile* file, GFile* other, GFileMonitorEvent event, gpointer p) {
    if (event == G_FILE_MONITOR_EVENT_DELETED || event == G_FILE_MONITOR_EVENT_MOVED_OUT ||
        event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED || event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT)
      return;
    if (is_poke(file) || is_poke(other)) static_cast<GioOverridePokeWatch*>(p)->poked_();
  }

  GFileMonitor* monitor_;
  std::function<void()> poked_;
};

}  // namespace

std::string override_poke_dir(const std::string& state_dir) { return state_dir + "/pokes"; }

Status poke_override(const std::string& state_dir) {
  const std::string dir = override_poke_dir(state_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("cannot create " + dir + ": " + ec.message());
  const std::string tmp = dir + "/." + kName + "." + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << "poke\n";
    if (!f) return make_error("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), (dir + "/" + kName).c_str()) != 0) {
    std::remove(tmp.c_str());
    return make_error("cannot replace " + dir + "/" + kName);
  }
  return {};
}

Result<std::unique_ptr<OverridePokeWatch>> OverridePokeWatch::start(const std::string& state_dir,
                                                                    std::function<void()> poked, Logger log) {
  const std::string dir = override_poke_dir(state_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("cannot create " + dir + ": " + ec.message());
  GFile* file = g_file_new_for_path(dir.c_str());
  GError* err = nullptr;
  GFileMonitor* m = g_file_monitor_directory(file, G_FILE_MONITOR_WATCH_MOVES, nullptr, &err);
  g_object_unref(file);
  if (!m) {
    std::string why = err ? err->message : "unknown error";
    if (err) g_error_free(err);
    return make_error("cannot watch " + dir + ": " + why);
  }
  log.debug("watching " + dir + " for override pokes");
  return std::unique_ptr<OverridePokeWatch>(new GioOverridePokeWatch(m, std::move(poked)));
}

}  // namespace branchcast
