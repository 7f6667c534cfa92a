#include "media/gst_media_probe.h"

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include <fstream>
#include <memory>

namespace branchcast {
namespace {

// What bytes GStreamer could not type look like: "text" when the first 4 KiB are printable
// UTF-8/ASCII, else "data".
std::string sniff(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char buf[4096];
  in.read(buf, sizeof buf);
  std::streamsize n = in.gcount();
  if (n <= 0) return "data";
  for (std::streamsize i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(buf[i]);
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return "data";
  }
  return "text";
}

// "VP8 video" from caps, or "" when GStreamer has no description.
std::string describe(const GstCaps* caps) {
  if (!caps) return "";
  gchar* d = gst_pb_utils_get_codec_description(caps);
  std::string out = d ? d : "";
  g_free(d);
  return out;
}

// The missing decoders' descriptions: installer details are "gstreamer|1.0|app|DESCRIPTION|detail".
std::string missing_decoders(GstDiscovererInfo* info) {
  const gchar** details = gst_discoverer_info_get_missing_elements_installer_details(info);
  std::string out;
  for (size_t i = 0; details && details[i]; ++i) {
    std::string d = details[i];
    size_t a = d.find('|'), b = a == std::string::npos ? a : d.find('|', a + 1);
    size_t c = b == std::string::npos ? b : d.find('|', b + 1);
    size_t e = c == std::string::npos ? c : d.find('|', c + 1);
    std::string what = e == std::string::npos ? d : d.substr(c + 1, e - c - 1);
    out += (out.empty() ? "" : ", ") + what;
  }
  return out.empty() ? "its format" : out;
}

// "5 s", "1500 ms": the limit as the timeout message says it.
std::string limit_text(Duration timeout) {
  auto ms = timeout.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

MediaFacts facts_of(GstDiscovererInfo* info, const std::string& path, const GError* err, Duration timeout) {
  MediaFacts f;
  switch (gst_discoverer_info_get_result(info)) {
    case GST_DISCOVERER_OK: break;
    case GST_DISCOVERER_MISSING_PLUGINS:
      f.kind = MediaFacts::Kind::kUndecodable;
      f.what = missing_decoders(info);
      return f;
    case GST_DISCOVERER_TIMEOUT:
      f.kind = MediaFacts::Kind::kUnreadable;
      f.what = "GStreamer took more than " + limit_text(timeout) + " to open it";
      return f;
    case GST_DISCOVERER_ERROR:
      if (err && err->domain == GST_STREAM_ERROR &&
          (err->code == GST_STREAM_ERROR_TYPE_NOT_FOUND || err->code == GST_STREAM_ERROR_WRONG_TYPE)) {
        f.kind = MediaFacts::Kind::kNotMedia;
        f.what = sniff(path);
      } else if (err && err->domain == GST_STREAM_ERROR && err->code == GST_STREAM_ERROR_CODEC_NOT_FOUND) {
        f.kind = MediaFacts::Kind::kUndecodable;
        f.what = err->message;
      } else {
        f.kind = MediaFacts::Kind::kUnreadable;
        f.what = err && err->message ? err->message : "GStreamer cannot open it";
      }
      return f;
    default:
      f.kind = MediaFacts::Kind::kUnreadable;
      f.what = err && err->message ? err->message : "GStreamer cannot open it";
      return f;
  }
  GList* videos = gst_discoverer_info_get_video_streams(info);
  if (!videos) {
    GList* audios = gst_discoverer_info_get_audio_streams(info);
    f.kind = audios ? MediaFacts::Kind::kAudioOnly : MediaFacts::Kind::kNotMedia;
    f.what = audios ? "" : sniff(path);
    gst_discoverer_stream_info_list_free(audios);
    return f;
  }
  auto* v = GST_DISCOVERER_VIDEO_INFO(videos->data);
  f.kind = gst_discoverer_video_info_is_image(v) ? MediaFacts::Kind::kImage : MediaFacts::Kind::kVideo;
  f.width = static_cast<int>(gst_discoverer_video_info_get_width(v));
  f.height = static_cast<int>(gst_discoverer_video_info_get_height(v));
  guint num = gst_discoverer_video_info_get_framerate_num(v), den = gst_discoverer_video_info_get_framerate_denom(v);
  if (den > 0 && num > 0) f.fps = static_cast<double>(num) / den;
  GstCaps* caps = gst_discoverer_stream_info_get_caps(GST_DISCOVERER_STREAM_INFO(v));
  f.format = describe(caps);
  if (caps) gst_caps_unref(caps);
  if (f.kind == MediaFacts::Kind::kImage && !f.format.empty() && f.format.find("image") == std::string::npos)
    f.format += " image";
  gst_discoverer_stream_info_list_free(videos);
  return f;
}

}  // namespace

MediaFacts gst_probe_media(const std::string& path, Duration timeout) {
  MediaFacts f;
  if (!gst_init_check(nullptr, nullptr, nullptr)) {
    f.what = "GStreamer cannot start";
    return f;
  }
  GError* err = nullptr;
  GstDiscoverer* disc = gst_discoverer_new(static_cast<GstClockTime>(timeout.count()) * GST_MSECOND, &err);
  if (!disc) {
    f.what = err ? err->message : "GStreamer's discoverer cannot start";
    if (err) g_error_free(err);
    return f;
  }
  gchar* uri = gst_filename_to_uri(path.c_str(), nullptr);
  if (!uri) {
    f.what = "not a file name GStreamer accepts";
  } else {
    GstDiscovererInfo* info = gst_discoverer_discover_uri(disc, uri, &err);
    if (info) {
      f = facts_of(info, path, err, timeout);
      gst_discoverer_info_unref(info);
    } else {
      f.what = err ? err->message : "GStreamer cannot open it";
    }
    g_free(uri);
  }
  if (err) g_error_free(err);
  g_object_unref(disc);
  return f;
}

}  // namespace branchcast
