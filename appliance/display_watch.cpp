#include "appliance/display_watch.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/clock_step.h"

namespace branchcast {

TimePoint DisplayWatch::next_deadline(TimePoint) const { return done_ ? TimePoint::max() : next_; }

void DisplayWatch::tick(const Turn& turn) {
  if (done_ || turn.now < next_) return;
  ++attempts_;
  if (probe_()) {
    done_ = true;
    if (found_) found_();
    return;
  }
  wait_ = std::min(wait_ * 2, kMaxRetry);
  next_ = turn.now + wait_;
}

void DisplayWatch::clock_stepped(Duration step, const Turn&) { next_ = shift_deadline(next_, step); }

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
