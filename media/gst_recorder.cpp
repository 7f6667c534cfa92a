#include "media/gst_recorder.h"

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>

namespace branchcast {

Result<std::unique_ptr<GstRecorder>> GstRecorder::open(const std::string& path, int width,
                                                       int height, int fps) {
  if (!gst_init_check(nullptr, nullptr, nullptr)) return make_error(path + ": GStreamer cannot start");
  GError* err = nullptr;
  // Realtime VP8 settings: the encoder must keep up with the display on a Pi.
  GstElement* pipeline = gst_parse_launch(
      "appsrc name=src format=time is-live=false block=true max-bytes=33554432 "
      "! videoconvert ! video/x-raw,format=I420 "
      "! vp8enc deadline=1 cpu-used=16 target-bitrate=4000000 keyframe-max-dist=60 "
      "! webmmux ! filesink name=sink",
      &err);
  if (!pipeline) {
    std::string m = err ? err->message : "cannot build pipeline";
    if (err) g_error_free(err);
    return make_error(path + ": cannot record: " + m);
  }
  if (err) g_error_free(err);
  GstElement* src = gst_bin_get_by_name(GST_BIN(pipeline), "src");
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  g_object_set(sink, "location", path.c_str(), nullptr);
  gst_object_unref(sink);
  GstVideoInfo info;
  gst_video_info_set_format(&info, GST_VIDEO_FORMAT_RGBA, width, height);
  GST_VIDEO_INFO_FPS_N(&info) = fps;
  GST_VIDEO_INFO_FPS_D(&info) = 1;
  GstCaps* caps = gst_video_info_to_caps(&info);
  gst_app_src_set_caps(GST_APP_SRC(src), caps);
  gst_caps_unref(caps);
  if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    gst_object_unref(src);
    gst_object_unref(pipeline);
    return make_error(path + ": cannot record: cannot open the file for writing");
  }
  return std::unique_ptr<GstRecorder>(new GstRecorder(pipeline, src, path, fps));
}

GstRecorder::~GstRecorder() {
  (void)finish();
  gst_element_set_state(GST_ELEMENT(pipeline_), GST_STATE_NULL);
  gst_object_unref(GST_OBJECT(src_));
  gst_object_unref(GST_OBJECT(pipeline_));
}

Status GstRecorder::push(const RgbaImage& frame, Duration pts) {
  if (finished_) return make_error(path_ + ": recording already finished");
  if (pts <= last_pts_) pts = last_pts_ + Duration(1);
  GstBuffer* buf = gst_buffer_new_memdup(frame.pixels.data(), frame.pixels.size());
  GST_BUFFER_PTS(buf) = static_cast<GstClockTime>(pts.count()) * GST_MSECOND;
  GST_BUFFER_DURATION(buf) = GST_SECOND / fps_;
  last_pts_ = pts;
  if (gst_app_src_push_buffer(GST_APP_SRC(src_), buf) != GST_FLOW_OK)
    return make_error(path_ + ": recording stopped (encoder or disk error)");
  ++frames_;
  return {};
}

Status GstRecorder::finish() {
  if (finished_) return {};
  finished_ = true;
  gst_app_src_end_of_stream(GST_APP_SRC(src_));
  GstBus* bus = gst_element_get_bus(GST_ELEMENT(pipeline_));
  GstMessage* msg = gst_bus_timed_pop_filtered(
      bus, 30 * GST_SECOND, static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  Status out;
  if (!msg) {
    out = make_error(path_ + ": recording did not finish in time");
  } else if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
    GError* err = nullptr;
    gst_message_parse_error(msg, &err, nullptr);
    out = make_error(path_ + ": recording failed: " + (err ? err->message : "error"));
    if (err) g_error_free(err);
  }
  if (msg) gst_message_unref(msg);
  gst_object_unref(bus);
  return out;
}

}  // namespace branchcast
