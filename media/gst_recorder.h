// Records composited output frames to WebM (appsrc -> videoconvert -> vp8enc -> webmmux -> file).
//
// Loop thread only. push() copies the picture and stamps it with the given presentation time, so
// the file shows frame for frame what was presented, when. finish() sends end-of-stream and waits
// (up to 30 s) for the file to be complete; the destructor finishes if needed.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "common/time.h"
#include "media/frame.h"

namespace branchcast {

class GstRecorder {
 public:
  static Result<std::unique_ptr<GstRecorder>> open(const std::string& path, int width, int height,
                                                   int fps);
  ~GstRecorder();
  GstRecorder(const GstRecorder&) = delete;
  GstRecorder& operator=(const GstRecorder&) = delete;

  // `pts` is the time since the recording started. Frames must have the size given to open().
  Status push(const RgbaImage& frame, Duration pts);
  Status finish();
  const std::string& path() const { return path_; }
  int frames() const { return frames_; }

 private:
  GstRecorder(void* pipeline, void* src, std::string path, int fps)
      : pipeline_(pipeline), src_(src), path_(std::move(path)), fps_(fps) {}
  void* pipeline_;  // GstElement*, kept out of the header
  void* src_;
  std::string path_;
  int fps_;
  int frames_ = 0;
  bool finished_ = false;
  Duration last_pts_{-1};
};

}  // namespace branchcast
