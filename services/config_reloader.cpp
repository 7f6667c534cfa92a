#include "services/config_reloader.h"

#include <fstream>
#include <sstream>

namespace branchcast {
namespace {

std::vector<std::string> files_of(const ApplianceSettings& s) {
  std::vector<std::string> out{s.path};
  for (const auto& screen : s.screens)
    if (!screen.playlist_path.empty()) out.push_back(screen.playlist_path);
  if (s.notifications.patrons && s.notifications.patrons->rfind("file:", 0) == 0)
    out.push_back(s.notifications.patrons->substr(5));
  return out;
}

}  // namespace

ConfigReloader::ConfigReloader(ApplianceSettings current, ApplianceLoader loader,
                               std::function<void(const ApplianceSettings&)> on_valid, Logger log)
    : current_(std::move(current)), loader_(std::move(loader)), on_valid_(std::move(on_valid)),
      log_(std::move(log)) {
  fingerprint_ = fingerprint(current_);
}

std::vector<std::string> ConfigReloader::watched_files() const { return files_of(current_); }

// The contents of every file a configuration was loaded from, each prefixed by its path;
// content_root is the real (canonical) folder media resolve under: a content swap changes it.
std::string ConfigReloader::fingerprint(const ApplianceSettings& s) const {
  std::string out = s.content_root + '\0';
  for (const auto& f : files_of(s)) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    out += f + '\0' + std::to_string(body.str().size()) + '\0' + body.str();
  }
  return out;
}

ConfigReloader::Outcome ConfigReloader::reload(const std::string& why, bool force) {
  auto loaded = loader_(current_.path);
  if (!loaded.ok()) {
    log_.error("configuration change refused (" + why + "): " + std::to_string(loaded.errors.size()) +
               " error(s); the last good configuration keeps playing");
    for (const auto& e : loaded.errors) log_.error(e.to_string());
    last_refused_ = true;
    return Outcome::kRefused;
  }
  last_refused_ = false;
  std::string fp = fingerprint(*loaded.settings);
  if (!force && fp == fingerprint_) return Outcome::kUnchanged;
  fingerprint_ = std::move(fp);
  current_ = std::move(*loaded.settings);
  log_.info("configuration reloaded (" + why + ")");
  on_valid_(current_);
  return Outcome::kApplied;
}

}  // namespace branchcast
