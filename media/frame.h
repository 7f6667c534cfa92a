// Decoded pictures as plain values: what a Player or CardRenderer hands to the Display.
//
// A VideoFrame is immutable once published and shared by shared_ptr; `keepalive` owns the memory
// the plane pointers point into (a mapped GStreamer sample, or a byte vector), so frames cross the
// port without any library type. Safe to read from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace branchcast {

enum class PixelFormat { kRgba, kI420 };

struct VideoFrame {
  PixelFormat format = PixelFormat::kRgba;
  int width = 0;
  int height = 0;
  // kRgba: plane 0 only (R,G,B,A bytes). kI420: Y, U, V planes.
  std::array<const uint8_t*, 3> planes{};
  std::array<int, 3> strides{};
  uint64_t sequence = 0;            // increases with each new picture from the same source
  std::shared_ptr<const void> keepalive;
};

using FramePtr = std::shared_ptr<const VideoFrame>;

// An RGBA picture owned by value (read-back output, cards, tests).
struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * 4, rows top to bottom, no padding

  struct Pixel {
    uint8_t r, g, b, a;
  };
  Pixel at(int x, int y) const {
    const uint8_t* p = &pixels[(static_cast<size_t>(y) * width + x) * 4];
    return {p[0], p[1], p[2], p[3]};
  }
};

// Wraps an RgbaImage as a frame (shares its pixels).
FramePtr frame_from_image(std::shared_ptr<const RgbaImage> image, uint64_t sequence = 1);

}  // namespace branchcast
