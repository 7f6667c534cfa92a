#include "appliance/display_watch.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace branchcast {

bool DisplayWatch::tick(MonoTime now) {
  if (now < next_) return false;
  ++attempts_;
  if (probe_()) return true;
  wait_ = std::min(wait_ * 2, kMaxRetry);
  next_ = now + wait_;
  return false;
}

bool display_connected(const std::string& drm_class_dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(drm_class_dir, ec)) {
    std::ifstream status(entry.path() / "status");
    std::string line;
    if (status && std::getline(status, line) && line == "connected") return true;
  }
  return false;
}

}  // namespace branchcast
