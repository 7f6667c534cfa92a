#include "media/gst_player.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <stdexcept>

#include "common/safe_open.h"

namespace branchcast {

// One decoding pipeline. Every repetition of a looping clip ("round") shares it: when the clip
// reaches its end the pipeline wraps to the start with a segment seek (no flush), so a loop costs
// no second decoder and no gap.
struct GstPlayer::Feed {
  ~Feed() {
    if (fd >= 0) ::close(fd);
  }
  MediaSource source;
  int fd = -1;                  // the file opened beneath source.root (read as /proc/self/fd/N)
  GstElement* pipeline = nullptr;
  GstElement* convert = nullptr;  // the video branch starts here: videoconvert ! videoscale ! size
  GstElement* size = nullptr;     // capsfilter; limited in pad-added when the picture is too large
  GstBus* bus = nullptr;
  int max_side = 0;
  int64_t max_pixels = 0;
  bool seek_pending = false;    // loop thread: the segment seek of a video is still to be made
  bool at_segment_end = false;  // loop thread: SEGMENT_DONE came and no wrap was wanted (yet)
  int wraps = 0;                // loop thread: wrap seeks made (round r wraps to round r + 1)

  mutable std::mutex mu;        // guards the mailbox below (written by streaming threads)
  FramePtr latest;
  uint64_t sequence = 0;
  int round = 0;                // +1 each time decoding wrapped to the start
  FramePtr last_of_previous;    // the previous round's last picture
  std::optional<uint64_t> segment_base;
  int segments_played = 0;      // segment-done events that reached the sink: every frame shown
};

struct GstPlayer::Clip {
  ClipId id = 0;
  MediaSource source;
  std::shared_ptr<Feed> feed;
  int round = 0;                // which repetition of the feed this clip is
  ClipState state = ClipState::kPreparing;
  bool start_requested = false;
  std::string error;
  FramePtr held;                // the picture kept once this clip's round is over
};

namespace {

struct MappedFrame {
  GstVideoFrame vframe;
  GstSample* sample;
  ~MappedFrame() {
    gst_video_frame_unmap(&vframe);
    gst_sample_unref(sample);
  }
};

FramePtr frame_from_sample(GstSample* sample, uint64_t sequence) {
  GstCaps* caps = gst_sample_get_caps(sample);
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  GstVideoInfo info;
  if (!caps || !buffer || !gst_video_info_from_caps(&info, caps)) return nullptr;
  GstVideoFrame vframe;
  if (!gst_video_frame_map(&vframe, &info, buffer, GST_MAP_READ)) return nullptr;
  std::shared_ptr<MappedFrame> mapped(new MappedFrame{vframe, gst_sample_ref(sample)});
  auto f = std::make_shared<VideoFrame>();
  f->width = GST_VIDEO_INFO_WIDTH(&info);
  f->height = GST_VIDEO_INFO_HEIGHT(&info);
  f->format = GST_VIDEO_INFO_FORMAT(&info) == GST_VIDEO_FORMAT_I420 ? PixelFormat::kI420
                                                                     : PixelFormat::kRgba;
  int planes = f->format == PixelFormat::kI420 ? 3 : 1;
  for (int p = 0; p < planes; ++p) {
    f->planes[p] = static_cast<const uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&mapped->vframe, p));
    f->strides[p] = GST_VIDEO_FRAME_PLANE_STRIDE(&mapped->vframe, p);
  }
  f->sequence = sequence;
  f->keepalive = mapped;
  return f;
}

void store_sample(GstPlayer::Feed* feed, GstSample* sample) {
  if (!sample) return;
  std::lock_guard lock(feed->mu);
  FramePtr f = frame_from_sample(sample, feed->sequence + 1);
  // A new segment with a later base is the pipeline wrapping to the start: a new round.
  if (const GstSegment* seg = gst_sample_get_segment(sample); seg && f) {
    if (feed->segment_base && seg->base > *feed->segment_base) {
      feed->round++;
      feed->last_of_previous = feed->latest;
    }
    feed->segment_base = seg->base;
  }
  gst_sample_unref(sample);
  if (!f) return;
  feed->sequence++;
  feed->latest = std::move(f);
}

GstFlowReturn on_preroll(GstAppSink* sink, gpointer data) {
  store_sample(static_cast<GstPlayer::Feed*>(data), gst_app_sink_pull_preroll(sink));
  return GST_FLOW_OK;
}

GstFlowReturn on_sample(GstAppSink* sink, gpointer data) {
  store_sample(static_cast<GstPlayer::Feed*>(data), gst_app_sink_pull_sample(sink));
  return GST_FLOW_OK;
}

// Streaming thread: the demuxer's segment-done event reached the sink after the last frame of the
// segment was shown.
GstPadProbeReturn on_sink_event(GstPad*, GstPadProbeInfo* info, gpointer data) {
  if (GST_EVENT_TYPE(GST_PAD_PROBE_INFO_EVENT(info)) == GST_EVENT_SEGMENT_DONE) {
    auto* feed = static_cast<GstPlayer::Feed*>(data);
    std::lock_guard lock(feed->mu);
    feed->segments_played++;
  }
  return GST_PAD_PROBE_OK;
}

void link_audio(GstElement* pipeline, GstPad* pad) {
  GstElement* conv = gst_element_factory_make("audioconvert", nullptr);
  GstElement* resample = gst_element_factory_make("audioresample", nullptr);
  GstElement* sink = gst_element_factory_make("autoaudiosink", nullptr);
  if (!conv || !resample || !sink) return;
  gst_bin_add_many(GST_BIN(pipeline), conv, resample, sink, nullptr);
  gst_element_link_many(conv, resample, sink, nullptr);
  for (GstElement* e : {conv, resample, sink}) gst_element_sync_state_with_parent(e);
  GstPad* sinkpad = gst_element_get_static_pad(conv, "sink");
  gst_pad_link(pad, sinkpad);
  gst_object_unref(sinkpad);
}

// Streaming thread: decodebin exposed a decoded stream. Video goes to videoconvert unless it is
// too large; audio to the default sink only when not muted.
void on_pad_added(GstElement*, GstPad* pad, gpointer data) {
  auto* clip = static_cast<GstPlayer::Feed*>(data);
  GstCaps* caps = gst_pad_get_current_caps(pad);
  if (!caps) caps = gst_pad_query_caps(pad, nullptr);
  const GstStructure* s = gst_caps_get_structure(caps, 0);
  std::string name = gst_structure_get_name(s);
  if (name.rfind("video/", 0) == 0) {
    int w = 0, h = 0;
    gst_structure_get_int(s, "width", &w);
    gst_structure_get_int(s, "height", &h);
    if (static_cast<int64_t>(w) * h > clip->max_pixels) {
      GError* err = g_error_new(GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE,
                                "picture of %dx%d is larger than allowed", w, h);
      gst_element_post_message(clip->pipeline,
                               gst_message_new_error(GST_OBJECT(clip->pipeline), err, nullptr));
      g_error_free(err);
    } else {
      if (w > clip->max_side || h > clip->max_side) {
        // Larger than a texture may be: scale down (aspect kept) before it reaches the display.
        Rect r = fit_rect({w, h}, {clip->max_side, clip->max_side});
        GstCaps* limit = gst_caps_new_simple("video/x-raw", "width", G_TYPE_INT, std::max(2, r.width & ~1),
                                             "height", G_TYPE_INT, std::max(2, r.height & ~1), nullptr);
        g_object_set(clip->size, "caps", limit, nullptr);
        gst_caps_unref(limit);
      }
      GstPad* sinkpad = gst_element_get_static_pad(clip->convert, "sink");
      if (!gst_pad_is_linked(sinkpad)) gst_pad_link(pad, sinkpad);
      gst_object_unref(sinkpad);
    }
  } else if (name.rfind("audio/", 0) == 0 && !clip->source.mute) {
    link_audio(clip->pipeline, pad);
  }
  gst_caps_unref(caps);
}

bool stat_file(const std::string& path, int64_t& mtime_ns, int64_t& size) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  size = st.st_size;
  return true;
}

}  // namespace

class GstPlayer::Reaper {
 public:
  Reaper() : thread_([this] { run(); }) {}
  ~Reaper() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  // The feed stays alive until its pipeline has stopped (streaming threads use it).
  void add(GstElement* pipeline, GstBus* bus, std::shared_ptr<Feed> keep) {
    {
      std::lock_guard lock(mu_);
      jobs_.push_back({pipeline, bus, std::move(keep)});
    }
    cv_.notify_one();
  }

 private:
  struct Job {
    GstElement* pipeline;
    GstBus* bus;
    std::shared_ptr<Feed> keep;
  };
  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stop_ and drained
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      gst_element_set_state(job.pipeline, GST_STATE_NULL);
      gst_object_unref(job.pipeline);
      if (job.bus) gst_object_unref(job.bus);
      job.keep.reset();
      lock.lock();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  bool stop_ = false;
  std::thread thread_;
};

GstPlayer::GstPlayer(Logger log, GstPlayerOptions options)
    : log_(std::move(log)), options_(options) {
  GError* err = nullptr;
  if (!gst_init_check(nullptr, nullptr, &err)) {
    std::string msg = err ? err->message : "unknown error";
    if (err) g_error_free(err);
    throw std::runtime_error("GStreamer cannot start: " + msg);
  }
  reaper_ = std::make_unique<Reaper>();
}

GstPlayer::~GstPlayer() {
  while (!clips_.empty()) release(clips_.begin()->first);
  reaper_.reset();  // waits for every pipeline to stop
}

void GstPlayer::retire_pipeline(const std::shared_ptr<Feed>& feed) {
  if (!feed || !feed->pipeline) return;
  reaper_->add(feed->pipeline, feed->bus, feed);
  feed->pipeline = nullptr;
  feed->bus = nullptr;
}

ClipId GstPlayer::add_clip(const MediaSource& source, std::shared_ptr<Feed> feed, int round) {
  auto clip = std::make_shared<Clip>();
  clip->id = next_id_++;
  clip->source = source;
  clip->feed = std::move(feed);
  clip->round = round;
  clips_[clip->id] = clip;
  return clip->id;
}

ClipId GstPlayer::prepare(const MediaSource& source) {
  ClipId id = add_clip(source, nullptr, 0);
  Clip& c = *clips_.at(id);

  int64_t mtime = 0, size = 0;
  if (!stat_file(source.path, mtime, size)) {
    fail(c, "file not found");
    return c.id;
  }
  if (auto it = bad_.find(source.path); it != bad_.end()) {
    if (it->second.mtime_ns == mtime && it->second.size == size) {
      c.state = ClipState::kFailed;
      c.error = it->second.error + " (marked bad until the file changes)";
      return c.id;
    }
    bad_.erase(it);
  }
  if (size == 0) {
    fail(c, "empty file");
    return c.id;
  }
  int fd = -1;
  if (!source.root.empty()) {
    // Opened now, beneath the content folder, following no link: the file checked at load may
    // have been replaced since by a link to anywhere. GStreamer then reads this very file through
    // /proc/self/fd/N (no path is resolved again).
    auto opened = open_file_beneath(source.root, source.path);
    if (!opened) {
      fail(c, "not opened beneath the content folder: " + opened.error().message, false);
      return c.id;
    }
    fd = *opened;
  }

  c.feed = std::make_shared<Feed>();
  Feed& f = *c.feed;
  f.fd = fd;
  f.source = source;
  f.max_pixels = options_.max_pixels;
  f.max_side = options_.max_side;
  f.pipeline = gst_pipeline_new(nullptr);
  GstElement* decode = gst_element_factory_make("uridecodebin", nullptr);
  f.convert = gst_element_factory_make("videoconvert", nullptr);
  GstElement* scale = gst_element_factory_make("videoscale", nullptr);
  f.size = gst_element_factory_make("capsfilter", nullptr);
  GstElement* sink = gst_element_factory_make("appsink", nullptr);
  if (!f.pipeline || !decode || !f.convert || !scale || !f.size || !sink) {
    fail(c, "GStreamer elements uridecodebin/videoconvert/videoscale/appsink are missing");
    return c.id;
  }
  gst_bin_add_many(GST_BIN(f.pipeline), decode, f.convert, scale, f.size, sink, nullptr);
  gst_element_link_many(f.convert, scale, f.size, sink, nullptr);

  gchar* uri = gst_filename_to_uri(fd >= 0 ? ("/proc/self/fd/" + std::to_string(fd)).c_str() : source.path.c_str(),
                                   nullptr);
  g_object_set(decode, "uri", uri, nullptr);
  g_free(uri);
  if (source.mute) {
    // Only video is decoded and exposed: no audio branch at all.
    GstCaps* vcaps = gst_caps_from_string("video/x-raw(ANY)");
    g_object_set(decode, "caps", vcaps, "expose-all-streams", FALSE, nullptr);
    gst_caps_unref(vcaps);
  }
  g_signal_connect(decode, "pad-added", G_CALLBACK(on_pad_added), &f);

  // Video always reaches the display as I420 planes (a 4:4:4 or RGB clip is converted once here,
  // not per pixel by the display); stills as RGBA, or I420 when the decoder gives it (JPEG).
  GstCaps* caps = gst_caps_from_string(source.is_video ? "video/x-raw,format=(string)I420"
                                                       : "video/x-raw,format=(string){I420,RGBA}");
  g_object_set(sink, "caps", caps, "sync", source.is_video ? TRUE : FALSE, "max-buffers", 2u,
               "enable-last-sample", FALSE, nullptr);
  gst_caps_unref(caps);
  GstAppSinkCallbacks callbacks{};
  callbacks.new_preroll = on_preroll;
  callbacks.new_sample = on_sample;
  gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, &f, nullptr);
  GstPad* sinkpad = gst_element_get_static_pad(sink, "sink");
  gst_pad_add_probe(sinkpad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_sink_event, &f, nullptr);
  gst_object_unref(sinkpad);

  f.bus = gst_element_get_bus(f.pipeline);
  // Videos are played as a segment (a seek once prerolled), so that reaching the end posts
  // SEGMENT_DONE and a loop can wrap to the start without a flush.
  f.seek_pending = source.is_video;
  if (gst_element_set_state(f.pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE) {
    handle_bus(c.feed);
    if (c.state != ClipState::kFailed) fail(c, "cannot open");
  }
  return c.id;
}

ClipId GstPlayer::prepare_loop(ClipId playing) {
  auto it = clips_.find(playing);
  if (it == clips_.end()) {
    ClipId id = add_clip({}, nullptr, 0);
    clips_.at(id)->state = ClipState::kFailed;
    clips_.at(id)->error = "unknown clip";
    return id;
  }
  const Clip& p = *it->second;
  const bool loopable = p.source.is_video && p.source.offset.count() == 0 && p.feed && p.feed->pipeline &&
                        (p.state == ClipState::kReady || p.state == ClipState::kPlaying);
  if (!loopable) return prepare(p.source);
  // The next round of the same feed; it becomes ready when decoding wraps to the start. A short
  // clip may have been read to its end already: then wrap now (its last frames are still queued).
  ClipId id = add_clip(p.source, p.feed, p.round + 1);
  if (p.feed->at_segment_end) wrap(*p.feed);
  return id;
}

void GstPlayer::wrap(Feed& f) {
  f.at_segment_end = false;
  f.wraps++;
  if (f.pipeline)
    gst_element_seek(f.pipeline, 1.0, GST_FORMAT_TIME, GST_SEEK_FLAG_SEGMENT, GST_SEEK_TYPE_SET, 0,
                     GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
}

void GstPlayer::start(ClipId id) {
  auto it = clips_.find(id);
  if (it == clips_.end()) return;
  Clip& c = *it->second;
  c.start_requested = true;
  if (c.state == ClipState::kReady) {
    c.state = ClipState::kPlaying;
    if (c.source.is_video && c.feed && c.feed->pipeline) gst_element_set_state(c.feed->pipeline, GST_STATE_PLAYING);
  }
}

void GstPlayer::release(ClipId id) {
  auto it = clips_.find(id);
  if (it == clips_.end()) return;
  std::shared_ptr<Feed> feed = std::move(it->second->feed);
  clips_.erase(it);
  if (!feed) return;
  for (auto& [other_id, other] : clips_)
    if (other->feed == feed) return;  // another round still uses the pipeline
  retire_pipeline(feed);
}

void GstPlayer::poll() {
  std::vector<std::shared_ptr<Feed>> feeds;
  for (auto& [id, clip] : clips_)
    if (clip->feed && std::find(feeds.begin(), feeds.end(), clip->feed) == feeds.end()) feeds.push_back(clip->feed);
  for (auto& feed : feeds) {
    handle_bus(feed);
    update_rounds(feed);
  }
}

std::vector<GstPlayer::Clip*> GstPlayer::clips_of(const std::shared_ptr<Feed>& feed) {
  std::vector<Clip*> out;
  for (auto& [id, clip] : clips_)
    if (clip->feed == feed) out.push_back(clip.get());
  return out;
}

void GstPlayer::update_rounds(const std::shared_ptr<Feed>& feed) {
  int round = 0, played = 0;
  FramePtr last_of_previous, latest;
  {
    std::lock_guard lock(feed->mu);
    round = feed->round;
    played = feed->segments_played;
    last_of_previous = feed->last_of_previous;
    latest = feed->latest;
  }
  for (Clip* c : clips_of(feed)) {
    if (c->state == ClipState::kFailed) continue;
    if (c->round < round && !c->held) {
      // This repetition is over: its last picture stays.
      c->held = c->round + 1 == round ? last_of_previous : latest;
      c->state = ClipState::kEnded;
    } else if (c->round == round && c->round > 0 && c->state == ClipState::kPreparing && latest) {
      c->state = ClipState::kPlaying;  // the loop wrapped: this round's first frame is here
    } else if (c->round == round && c->state == ClipState::kPlaying && played > round && feed->wraps <= round) {
      c->state = ClipState::kEnded;  // the last frame of the last round was shown, no wrap follows
    }
  }
}

void GstPlayer::handle_bus(const std::shared_ptr<Feed>& feed) {
  Feed& f = *feed;
  if (!f.bus) return;
  while (GstMessage* msg = gst_bus_pop(f.bus)) {
    switch (GST_MESSAGE_TYPE(msg)) {
      case GST_MESSAGE_ERROR: {
        GError* err = nullptr;
        gst_message_parse_error(msg, &err, nullptr);
        std::string text = err ? err->message : "decode error";
        if (err) g_error_free(err);
        for (Clip* c : clips_of(feed))
          if (c->state != ClipState::kFailed) fail(*c, text);
        break;
      }
      case GST_MESSAGE_EOS: {
        int round = 0;
        {
          std::lock_guard lock(f.mu);
          round = f.round;
        }
        for (Clip* c : clips_of(feed))
          if (c->round == round && (c->state == ClipState::kPlaying || c->state == ClipState::kReady))
            c->state = ClipState::kEnded;
        break;
      }
      case GST_MESSAGE_SEGMENT_DONE: {
        // The demuxer reached the end (the last frames are still on their way to the sink). If the
        // next round is wanted, wrap to the start now, without a flush, so its first frame follows
        // the last one on time.
        int round = 0;
        {
          std::lock_guard lock(f.mu);
          round = f.round;
        }
        bool wanted = false;
        for (Clip* c : clips_of(feed)) wanted = wanted || c->round > round;
        f.at_segment_end = true;
        if (wanted) wrap(f);
        break;
      }
      case GST_MESSAGE_ASYNC_DONE: {
        auto clips = clips_of(feed);
        Clip* first = nullptr;
        for (Clip* c : clips)
          if (c->round == 0 && c->state == ClipState::kPreparing) first = c;
        if (!first) break;
        if (f.seek_pending) {
          f.seek_pending = false;
          auto flags = GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_SEGMENT;
          if (f.source.offset.count() > 0) flags |= GST_SEEK_FLAG_ACCURATE;
          // Prerolls again at the new position; a stream that cannot seek (a still picture in a
          // video slot) is ready as it is and plays to an ordinary end of stream.
          if (gst_element_seek(f.pipeline, 1.0, GST_FORMAT_TIME, static_cast<GstSeekFlags>(flags),
                               GST_SEEK_TYPE_SET,
                               std::chrono::duration_cast<std::chrono::nanoseconds>(f.source.offset).count(),
                               GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE))
            break;
        }
        if (!frame(first->id)) {
          fail(*first, "no picture in file");
          break;
        }
        first->state = ClipState::kReady;
        gst_message_unref(msg);
        if (!f.source.is_video) {
          // A still needs nothing more from its decoder: keep the picture, free the pipeline.
          retire_pipeline(feed);
        }
        if (first->start_requested) start(first->id);
        return;
      }
      default:
        break;
    }
    gst_message_unref(msg);
    if (!f.bus) return;
  }
}

void GstPlayer::fail(Clip& c, const std::string& message, bool mark_bad) {
  c.state = ClipState::kFailed;
  c.error = message;
  log_.error(c.source.path + ": cannot play: " + message + "; skipped");
  int64_t mtime = 0, size = 0;
  if (mark_bad && stat_file(c.source.path, mtime, size)) bad_[c.source.path] = {mtime, size, message};
  retire_pipeline(c.feed);
}

ClipState GstPlayer::state(ClipId id) const {
  auto it = clips_.find(id);
  return it == clips_.end() ? ClipState::kFailed : it->second->state;
}

FramePtr GstPlayer::frame(ClipId id) const {
  auto it = clips_.find(id);
  if (it == clips_.end()) return nullptr;
  const Clip& c = *it->second;
  if (c.held) return c.held;
  if (!c.feed) return nullptr;
  std::lock_guard lock(c.feed->mu);
  if (c.feed->round == c.round) return c.feed->latest;
  if (c.feed->round == c.round + 1) return c.feed->last_of_previous;  // over since the last poll
  return nullptr;  // this round has not begun
}

std::string GstPlayer::error(ClipId id) const {
  auto it = clips_.find(id);
  return it == clips_.end() ? "unknown clip" : it->second->error;
}

}  // namespace branchcast
