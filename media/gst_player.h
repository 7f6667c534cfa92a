// GStreamer adapter of the Player port: uridecodebin -> videoconvert -> videoscale -> appsink (I420
// for video, RGBA or I420 for stills; videoscale only acts on pictures larger than max_side),
// prerolled in PAUSED so the first frame is ready before the clip is shown. A video plays as a
// segment: at its end the pipeline posts SEGMENT_DONE, and a clip asked to loop (prepare_loop)
// wraps to the start with a non-flushing segment seek, so a single looping clip needs one
// decoder and shows no gap.
//
// Threads: every public call is loop-thread only. GStreamer's streaming threads only store the
// newest frame in the feed's mailbox (under its mutex); bus messages (errors, end of stream,
// preroll) are handled in poll() on the loop thread. Pipelines are stopped on a reaper thread so
// release() never blocks the loop. A file that fails is remembered as bad until
// its mtime or size changes; prepare() of a bad file fails at once without decoding it again.
// A source with a root is opened beneath it (no symbolic link followed) at prepare() time and
// GStreamer reads that descriptor; a path that became a link is refused, not marked bad.
#pragma once

#include <map>
#include <memory>
#include <functional>
#include <string>
#include <vector>

#include "config/settings.h"

#include "common/log.h"
#include "media/ports.h"

namespace branchcast {

struct GstPlayerOptions {
  // Pictures larger than this (in pixels) are refused before any frame is allocated.
  int64_t max_pixels = 8192LL * 8192LL;
  // Pictures wider or taller than this are scaled down (aspect kept) so every frame fits a
  // texture (4096 is the limit of the Pi 4's GPU).
  int max_side = 4096;
};

class GstPlayer final : public Player {
 public:
  // Initialises GStreamer if needed. Throws std::runtime_error when GStreamer cannot start
  // (start-up only).
  explicit GstPlayer(Logger log, GstPlayerOptions options = {});
  ~GstPlayer() override;
  GstPlayer(const GstPlayer&) = delete;
  GstPlayer& operator=(const GstPlayer&) = delete;

  ClipId prepare(const MediaSource& source) override;
  ClipId prepare_loop(ClipId playing) override;
  void start(ClipId id) override;
  void release(ClipId id) override;
  void poll() override;
  ClipState state(ClipId id) const override;
  FramePtr frame(ClipId id) const override;
  std::string error(ClipId id) const override;

  struct Feed;  // one pipeline and the mailbox its streaming threads write (gst_player.cpp)
  struct Clip;  // one ClipId: a feed and which repetition of it

 private:
  struct FileMark {
    int64_t mtime_ns = 0;
    int64_t size = 0;
    std::string error;
  };
  ClipId add_clip(const MediaSource& source, std::shared_ptr<Feed> feed, int round);
  std::vector<Clip*> clips_of(const std::shared_ptr<Feed>& feed);
  // Logs "<file>: cannot play: <message>; skipped"; with mark_bad the file is remembered as bad
  // until its mtime or size changes.
  void fail(Clip& clip, const std::string& message, bool mark_bad = true);
  void handle_bus(const std::shared_ptr<Feed>& feed);
  // Seeks the feed back to its start without a flush (the next round follows the queued frames).
  void wrap(Feed& feed);
  // Loop thread: moves clips between rounds (a wrapped loop starts the next clip, ends the last).
  void update_rounds(const std::shared_ptr<Feed>& feed);
  // Hands the clip's pipeline to the reaper thread (stopping a pipeline joins its streaming
  // threads, which must not stall the loop).
  void retire_pipeline(const std::shared_ptr<Feed>& feed);
  class Reaper;

  Logger log_;
  GstPlayerOptions options_;
  ClipId next_id_ = 1;
  std::map<ClipId, std::shared_ptr<Clip>> clips_;
  std::map<std::string, FileMark> bad_;
  std::unique_ptr<Reaper> reaper_;
};

// A video's natural length (GstDiscoverer, 5 s timeout), or nullopt if it cannot be read.
std::optional<Duration> gst_media_length(const std::string& path);

// ScheduleInputs::media_length backed by gst_media_length, caching each file's answer (keyed by
// path, size and mtime, so a replaced file is probed again). Loop thread only.
std::function<std::optional<Duration>(const PlaylistItem&)> gst_media_length_prober();

// Writes an RGBA picture as a PNG file (appsrc -> pngenc). Error names the file.
Status gst_write_png(const RgbaImage& image, const std::string& path);

// Decodes a still image (PNG, JPEG, ...) to RGBA. Error names the file.
Result<RgbaImage> gst_read_image(const std::string& path);

// The same for a picture that must lie beneath the folder `root`: opened there without following
// any symbolic link (common/safe_open.h), then decoded from that descriptor. A path outside root,
// a link or a special file is refused with an error naming the file.
Result<RgbaImage> gst_read_image_beneath(const std::string& root, const std::string& path);

// Decodes every frame of a video file (e.g. a `run --record` output) to RGBA, at most max_frames.
// For checks and benchmarks on small recordings. Error names the file.
Result<std::vector<RgbaImage>> gst_read_video_frames(const std::string& path, size_t max_frames);

}  // namespace branchcast
