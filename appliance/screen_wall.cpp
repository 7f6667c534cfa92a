#include "appliance/screen_wall.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "media/gst_player.h"
#include "media/gst_recorder.h"
#include "media/sdl_display.h"

namespace branchcast {
namespace {

// <dir>/<screen>-<sequence>-<item start, local time>.png
std::string snapshot_name(const std::string& dir, const std::string& screen, int n, const TimeZone& zone,
                          TimePoint item_start) {
  std::string stamp = zone.format_iso(item_start).substr(0, 19);
  for (char& c : stamp)
    if (c == ':') c = '-';
  char seq[16];
  std::snprintf(seq, sizeof seq, "%04d", n);
  return (std::filesystem::path(dir) / (screen + "-" + seq + "-" + stamp + ".png")).string();
}

}  // namespace

ScreenWall::ScreenWall(std::vector<WallScreen> screens, ScreenWallOptions options, ScreenWallEvents events, Logger log)
    : screens_(std::move(screens)), options_(std::move(options)), events_(std::move(events)), log_(std::move(log)),
      recorder_(options_.recorder) {}

ScreenWall::~ScreenWall() {
  for (auto& w : writes_)
    if (w.valid()) w.wait();
}

TimePoint ScreenWall::next_deadline(TimePoint now) const {
  TimePoint due = recorder_ ? now : TimePoint::max();
  if (options_.windowed) due = std::min(due, now + Duration(1000));
  for (const WallScreen& s : screens_) due = std::min(due, s.runner->next_deadline(now));
  return due;
}

void ScreenWall::tick(const Turn& turn) {
  const bool snapshots = !options_.snapshots_dir.empty();
  for (size_t i = 0; i < screens_.size(); ++i) {
    WallScreen& s = screens_[i];
    if (s.window && s.window->quit_requested() && events_.quit) events_.quit();
    const bool record = i == 0 && recorder_;
    const FrameOutcome frame =
        s.runner->frame(turn.now, turn.mono, record ? &capture_ : nullptr, snapshots ? &snapshot_ : nullptr);
    if (record && s.runner->stats().items > 0) {  // from the first picture on
      if (!record_start_) record_start_ = turn.mono;
      if (auto st = recorder_->push(capture_, turn.mono - *record_start_); !st) {
        log_.error(st.error().message);
        recorder_ = nullptr;
      }
    }
    if (frame.item_started && events_.item_started)
      events_.item_started(s.id, s.scheduler->showing(), s.runner->stats());
    if (!first_frame_seen_ && s.runner->stats().items > 0) {
      first_frame_seen_ = true;
      if (events_.first_frame) events_.first_frame();
    }
    if (snapshots) write_snapshots(s);
  }
}

void ScreenWall::clock_stepped(Duration, const Turn& turn) {
  for (WallScreen& s : screens_) s.scheduler->clock_stepped(turn.now);
}

void ScreenWall::finish(MonoTime end) {
  const bool snapshots = !options_.snapshots_dir.empty();
  for (WallScreen& s : screens_) {
    s.runner->finish(end, snapshots ? &snapshot_ : nullptr);  // the last item's, too
    if (snapshots) write_snapshots(s);
  }
  for (auto& w : writes_)
    if (auto st = w.get(); !st) log_.error(st.error().message);
  writes_.clear();
}

void ScreenWall::write_snapshots(const WallScreen& s) {
  for (auto& shot : s.runner->take_snapshots()) {
    std::string path = snapshot_name(options_.snapshots_dir, s.id, ++snapshot_count_, options_.zone, shot.item_start);
    writes_.push_back(
        std::async(std::launch::async, [img = std::move(shot.image), path] { return gst_write_png(img, path); }));
  }
}

}  // namespace branchcast
