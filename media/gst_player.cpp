#include "media/gst_player.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <sys/stat.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <stdexcept>

namespace branchcast {

struct GstPlayer::Clip {
  ClipId id = 0;
  MediaSource source;
  GstElement* pipeline = nullptr;
  GstElement* convert = nullptr;  // the video branch starts here: videoconvert ! videoscale ! size
  GstElement* size = nullptr;     // capsfilter; limited in pad-added when the picture is too large
  int max_side = 0;
  GstBus* bus = nullptr;
  ClipState state = ClipState::kPreparing;
  bool seek_pending = false;
  bool start_requested = false;
  std::string error;
  int64_t max_pixels = 0;

  mutable std::mutex mu;   // guards latest / sequence
  FramePtr latest;
  uint64_t sequence = 0;
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

void store_sample(GstPlayer::Clip* clip, GstSample* sample) {
  if (!sample) return;
  std::lock_guard lock(clip->mu);
  FramePtr f = frame_from_sample(sample, clip->sequence + 1);
  gst_sample_unref(sample);
  if (!f) return;
  clip->sequence++;
  clip->latest = std::move(f);
}

GstFlowReturn on_preroll(GstAppSink* sink, gpointer data) {
  store_sample(static_cast<GstPlayer::Clip*>(data), gst_app_sink_pull_preroll(sink));
  return GST_FLOW_OK;
}

GstFlowReturn on_sample(GstAppSink* sink, gpointer data) {
  store_sample(static_cast<GstPlayer::Clip*>(data), gst_app_sink_pull_sample(sink));
  return GST_FLOW_OK;
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
  auto* clip = static_cast<GstPlayer::Clip*>(data);
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
  // The clip stays alive until its pipeline has stopped (streaming threads use it).
  void add(GstElement* pipeline, GstBus* bus, std::shared_ptr<Clip> keep) {
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
    std::shared_ptr<Clip> keep;
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

void GstPlayer::retire_pipeline(const std::shared_ptr<Clip>& clip) {
  if (!clip->pipeline) return;
  reaper_->add(clip->pipeline, clip->bus, clip);
  clip->pipeline = nullptr;
  clip->bus = nullptr;
}

ClipId GstPlayer::prepare(const MediaSource& source) {
  auto clip = std::make_shared<Clip>();
  Clip& c = *clip;
  c.id = next_id_++;
  c.source = source;
  c.max_pixels = options_.max_pixels;
  clips_[c.id] = clip;

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

  c.pipeline = gst_pipeline_new(nullptr);
  GstElement* decode = gst_element_factory_make("uridecodebin", nullptr);
  c.convert = gst_element_factory_make("videoconvert", nullptr);
  GstElement* scale = gst_element_factory_make("videoscale", nullptr);
  c.size = gst_element_factory_make("capsfilter", nullptr);
  c.max_side = options_.max_side;
  GstElement* sink = gst_element_factory_make("appsink", nullptr);
  if (!c.pipeline || !decode || !c.convert || !scale || !c.size || !sink) {
    fail(c, "GStreamer elements uridecodebin/videoconvert/videoscale/appsink are missing");
    return c.id;
  }
  gst_bin_add_many(GST_BIN(c.pipeline), decode, c.convert, scale, c.size, sink, nullptr);
  gst_element_link_many(c.convert, scale, c.size, sink, nullptr);

  gchar* uri = gst_filename_to_uri(source.path.c_str(), nullptr);
  g_object_set(decode, "uri", uri, nullptr);
  g_free(uri);
  if (source.mute) {
    // Only video is decoded and exposed: no audio branch at all.
    GstCaps* vcaps = gst_caps_from_string("video/x-raw(ANY)");
    g_object_set(decode, "caps", vcaps, "expose-all-streams", FALSE, nullptr);
    gst_caps_unref(vcaps);
  }
  g_signal_connect(decode, "pad-added", G_CALLBACK(on_pad_added), &c);

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
  gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, &c, nullptr);

  c.bus = gst_element_get_bus(c.pipeline);
  c.seek_pending = source.is_video && source.offset.count() > 0;
  if (gst_element_set_state(c.pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE) {
    handle_bus(c);
    if (c.state != ClipState::kFailed) fail(c, "cannot open");
  }
  return c.id;
}

void GstPlayer::start(ClipId id) {
  auto it = clips_.find(id);
  if (it == clips_.end()) return;
  Clip& c = *it->second;
  c.start_requested = true;
  if (c.state == ClipState::kReady) {
    c.state = ClipState::kPlaying;
    if (c.source.is_video && c.pipeline) gst_element_set_state(c.pipeline, GST_STATE_PLAYING);
  }
}

void GstPlayer::release(ClipId id) {
  auto it = clips_.find(id);
  if (it == clips_.end()) return;
  std::shared_ptr<Clip> c = std::move(it->second);
  clips_.erase(it);
  retire_pipeline(c);
}

void GstPlayer::poll() {
  for (auto& [id, clip] : clips_) handle_bus(*clip);
}

void GstPlayer::handle_bus(Clip& c) {
  if (!c.bus) return;
  while (GstMessage* msg = gst_bus_pop(c.bus)) {
    switch (GST_MESSAGE_TYPE(msg)) {
      case GST_MESSAGE_ERROR: {
        GError* err = nullptr;
        gst_message_parse_error(msg, &err, nullptr);
        std::string text = err ? err->message : "decode error";
        if (err) g_error_free(err);
        if (c.state != ClipState::kFailed) fail(c, text);
        break;
      }
      case GST_MESSAGE_EOS:
        if (c.state != ClipState::kFailed) c.state = ClipState::kEnded;
        break;
      case GST_MESSAGE_ASYNC_DONE:
        if (c.state != ClipState::kPreparing) break;
        if (c.seek_pending) {
          c.seek_pending = false;
          gst_element_seek_simple(c.pipeline, GST_FORMAT_TIME,
                                  static_cast<GstSeekFlags>(GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE),
                                  std::chrono::duration_cast<std::chrono::nanoseconds>(c.source.offset).count());
          break;
        }
        if (!frame(c.id)) {
          fail(c, "no picture in file");
          break;
        }
        c.state = ClipState::kReady;
        if (!c.source.is_video) {
          // A still needs nothing more from its decoder: keep the picture, free the pipeline.
          gst_message_unref(msg);
          retire_pipeline(clips_.at(c.id));
          if (c.start_requested) start(c.id);
          return;
        }
        if (c.start_requested) start(c.id);
        gst_message_unref(msg);
        return;
      default:
        break;
    }
    gst_message_unref(msg);
    if (!c.bus) return;
  }
}

void GstPlayer::fail(Clip& c, const std::string& message) {
  c.state = ClipState::kFailed;
  c.error = message;
  log_.error(c.source.path + ": cannot play: " + message + "; skipped");
  int64_t mtime = 0, size = 0;
  if (stat_file(c.source.path, mtime, size)) bad_[c.source.path] = {mtime, size, message};
  if (auto it = clips_.find(c.id); it != clips_.end()) retire_pipeline(it->second);
}

ClipState GstPlayer::state(ClipId id) const {
  auto it = clips_.find(id);
  return it == clips_.end() ? ClipState::kFailed : it->second->state;
}

FramePtr GstPlayer::frame(ClipId id) const {
  auto it = clips_.find(id);
  if (it == clips_.end()) return nullptr;
  std::lock_guard lock(it->second->mu);
  return it->second->latest;
}

std::string GstPlayer::error(ClipId id) const {
  auto it = clips_.find(id);
  return it == clips_.end() ? "unknown clip" : it->second->error;
}

}  // namespace branchcast
