// Test media generated at test time with gst-launch-1.0 (nothing binary is committed), and a
// scratch folder per test binary.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace branchcast::testing_media {

inline std::string scratch_dir(const std::string& name) {
  auto dir = std::filesystem::path(::testing::TempDir()) /
             ("branchcast-media-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

inline void gst_launch(const std::string& pipeline) {
  std::string cmd = "gst-launch-1.0 -q " + pipeline + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

// A solid-colour PNG; rgb as 0xRRGGBB.
inline std::string make_png(const std::string& path, unsigned rgb, int w = 320, int h = 180) {
  char color[16];
  std::snprintf(color, sizeof color, "0xff%06x", rgb);
  gst_launch("videotestsrc num-buffers=1 pattern=solid-color foreground-color=" + std::string(color) +
             " ! video/x-raw,width=" + std::to_string(w) + ",height=" + std::to_string(h) +
             " ! videoconvert ! pngenc ! filesink location=" + path);
  return path;
}

// A clip of `frames` frames encoded and muxed by `encode` (e.g. "vp8enc ! webmmux",
// "x264enc ! mp4mux"). pattern: a videotestsrc pattern (e.g. "ball", "smpte",
// "solid-color foreground-color=0xff00ff00").
inline std::string make_clip(const std::string& path, const std::string& pattern, int frames,
                             const std::string& encode, int w = 320, int h = 180, int fps = 30) {
  gst_launch("videotestsrc num-buffers=" + std::to_string(frames) + " pattern=" + pattern +
             " ! video/x-raw,width=" + std::to_string(w) + ",height=" + std::to_string(h) +
             ",framerate=" + std::to_string(fps) + "/1 ! videoconvert ! " + encode +
             " ! filesink location=" + path);
  return path;
}

// A VP8 WebM clip of `frames` frames (see make_clip).
inline std::string make_webm(const std::string& path, const std::string& pattern, int frames,
                             int w = 320, int h = 180, int fps = 30) {
  return make_clip(path, pattern, frames, "vp8enc deadline=1 cpu-used=16 ! webmmux", w, h, fps);
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace branchcast::testing_media
