// Small one-shot GStreamer jobs: media length, PNG write and read.
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <tuple>

#include "common/safe_open.h"
#include "media/gst_player.h"

namespace branchcast {
namespace {

bool ensure_gst() { return gst_init_check(nullptr, nullptr, nullptr); }

// Waits for EOS or an error on the pipeline's bus; returns the error text or "".
std::string wait_done(GstElement* pipeline, GstClockTime timeout) {
  GstBus* bus = gst_element_get_bus(pipeline);
  GstMessage* msg = gst_bus_timed_pop_filtered(
      bus, timeout, static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  std::string out;
  if (!msg) {
    out = "timed out";
  } else if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
    GError* err = nullptr;
    gst_message_parse_error(msg, &err, nullptr);
    out = err ? err->message : "error";
    if (err) g_error_free(err);
  }
  if (msg) gst_message_unref(msg);
  gst_object_unref(bus);
  return out;
}

}  // namespace

std::optional<Duration> gst_media_length(const std::string& path) {
  if (!ensure_gst()) return std::nullopt;
  GstDiscoverer* disc = gst_discoverer_new(5 * GST_SECOND, nullptr);
  if (!disc) return std::nullopt;
  gchar* uri = gst_filename_to_uri(path.c_str(), nullptr);
  std::optional<Duration> out;
  if (uri) {
    GstDiscovererInfo* info = gst_discoverer_discover_uri(disc, uri, nullptr);
    if (info) {
      if (gst_discoverer_info_get_result(info) == GST_DISCOVERER_OK) {
        GstClockTime d = gst_discoverer_info_get_duration(info);
        if (GST_CLOCK_TIME_IS_VALID(d) && d > 0) out = Duration(static_cast<int64_t>(d / GST_MSECOND));
      }
      gst_discoverer_info_unref(info);
    }
    g_free(uri);
  }
  g_object_unref(disc);
  return out;
}

std::function<std::optional<Duration>(const PlaylistItem&)> gst_media_length_prober() {
  using Key = std::tuple<std::string, int64_t, int64_t>;
  auto cache = std::make_shared<std::map<Key, std::optional<Duration>>>();
  return [cache](const PlaylistItem& item) -> std::optional<Duration> {
    if (item.kind != ItemKind::kVideo) return std::nullopt;
    struct stat st {};
    if (::stat(item.resolved.c_str(), &st) != 0) return std::nullopt;
    Key key{item.resolved, static_cast<int64_t>(st.st_size), static_cast<int64_t>(st.st_mtim.tv_sec)};
    auto it = cache->find(key);
    if (it == cache->end()) it = cache->emplace(key, gst_media_length(item.resolved)).first;
    return it->second;
  };
}

Status gst_write_png(const RgbaImage& image, const std::string& path) {
  if (!ensure_gst()) return make_error(path + ": GStreamer cannot start");
  GError* err = nullptr;
  GstElement* pipeline = gst_parse_launch(
      "appsrc name=src format=time ! videoconvert ! pngenc snapshot=false ! filesink name=sink", &err);
  if (!pipeline) {
    std::string m = err ? err->message : "pipeline";
    if (err) g_error_free(err);
    return make_error(path + ": cannot write PNG: " + m);
  }
  if (err) g_error_free(err);
  GstElement* src = gst_bin_get_by_name(GST_BIN(pipeline), "src");
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  g_object_set(sink, "location", path.c_str(), nullptr);
  GstVideoInfo info;
  gst_video_info_set_format(&info, GST_VIDEO_FORMAT_RGBA, image.width, image.height);
  GST_VIDEO_INFO_FPS_N(&info) = 1;
  GST_VIDEO_INFO_FPS_D(&info) = 1;
  GstCaps* caps = gst_video_info_to_caps(&info);
  gst_app_src_set_caps(GST_APP_SRC(src), caps);
  gst_caps_unref(caps);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstBuffer* buf = gst_buffer_new_memdup(image.pixels.data(), image.pixels.size());
  GST_BUFFER_PTS(buf) = 0;
  GST_BUFFER_DURATION(buf) = GST_SECOND;
  gst_app_src_push_buffer(GST_APP_SRC(src), buf);
  gst_app_src_end_of_stream(GST_APP_SRC(src));
  std::string e = wait_done(pipeline, 10 * GST_SECOND);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(src);
  gst_object_unref(sink);
  gst_object_unref(pipeline);
  if (!e.empty()) return make_error(path + ": cannot write PNG: " + e);
  return {};
}

namespace {

std::optional<RgbaImage> copy_rgba(GstSample* sample) {
  GstVideoInfo info;
  GstVideoFrame vf;
  if (!gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) ||
      !gst_video_frame_map(&vf, &info, gst_sample_get_buffer(sample), GST_MAP_READ))
    return std::nullopt;
  RgbaImage img;
  img.width = GST_VIDEO_INFO_WIDTH(&info);
  img.height = GST_VIDEO_INFO_HEIGHT(&info);
  img.pixels.resize(static_cast<size_t>(img.width) * img.height * 4);
  const auto* data = static_cast<const uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&vf, 0));
  int stride = GST_VIDEO_FRAME_PLANE_STRIDE(&vf, 0);
  for (int y = 0; y < img.height; ++y)
    std::memcpy(&img.pixels[static_cast<size_t>(y) * img.width * 4], data + static_cast<size_t>(y) * stride,
                static_cast<size_t>(img.width) * 4);
  gst_video_frame_unmap(&vf);
  return img;
}

// filesrc ! decodebin ! videoconvert ! RGBA appsink, paused (prerolled). Null on failure.
GstElement* open_rgba_decoder(const std::string& path, GstElement** sink) {
  GstElement* pipeline = gst_parse_launch(
      "filesrc name=src ! decodebin ! videoconvert ! video/x-raw,format=RGBA ! appsink name=sink sync=false",
      nullptr);
  if (!pipeline) return nullptr;
  GstElement* src = gst_bin_get_by_name(GST_BIN(pipeline), "src");
  g_object_set(src, "location", path.c_str(), nullptr);
  gst_object_unref(src);
  *sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  if (gst_element_set_state(pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE ||
      gst_element_get_state(pipeline, nullptr, nullptr, 10 * GST_SECOND) != GST_STATE_CHANGE_SUCCESS) {
    gst_element_set_state(pipeline, GST_STATE_NULL);
    gst_object_unref(*sink);
    gst_object_unref(pipeline);
    return nullptr;
  }
  return pipeline;
}

void close_decoder(GstElement* pipeline, GstElement* sink) {
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(sink);
  gst_object_unref(pipeline);
}

}  // namespace

Result<std::vector<RgbaImage>> gst_read_video_frames(const std::string& path, size_t max_frames) {
  if (!ensure_gst()) return make_error(path + ": GStreamer cannot start");
  GstElement* sink = nullptr;
  GstElement* pipeline = open_rgba_decoder(path, &sink);
  if (!pipeline) return make_error(path + ": cannot decode video");
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  std::vector<RgbaImage> frames;
  while (frames.size() < max_frames) {
    GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), 10 * GST_SECOND);
    if (!sample) break;  // end of stream (or stalled)
    if (auto img = copy_rgba(sample)) frames.push_back(std::move(*img));
    gst_sample_unref(sample);
  }
  close_decoder(pipeline, sink);
  if (frames.empty()) return make_error(path + ": no video frames");
  return frames;
}

Result<RgbaImage> gst_read_image(const std::string& path) {
  if (!ensure_gst()) return make_error(path + ": GStreamer cannot start");
  GstElement* sink = nullptr;
  GstElement* pipeline = open_rgba_decoder(path, &sink);
  if (!pipeline) return make_error(path + ": cannot read image");
  Result<RgbaImage> out = make_error(path + ": cannot read image");
  if (GstSample* sample = gst_app_sink_try_pull_preroll(GST_APP_SINK(sink), GST_SECOND)) {
    if (auto img = copy_rgba(sample)) out = std::move(*img);
    gst_sample_unref(sample);
  }
  close_decoder(pipeline, sink);
  return out;
}

Result<RgbaImage> gst_read_image_beneath(const std::string& root, const std::string& path) {
  auto fd = open_file_beneath(root, path);
  if (!fd) return make_error(path + ": not opened beneath the content folder: " + fd.error().message);
  auto image = gst_read_image("/proc/self/fd/" + std::to_string(*fd));
  ::close(*fd);
  if (!image) return make_error(path + ": cannot read image");
  return image;
}

}  // namespace branchcast
