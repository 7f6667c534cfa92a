// Still pictures from outside (feed images, issue 15 item 6), checked before any decoder sees them,
// and the small raw form the image cache stores for cards. Pure: bytes and files in, values out;
// any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "media/frame.h"

namespace branchcast {

// What a picture's own header says: its format and size, read without decoding.
struct StillHeader {
  std::string format;  // "png", "jpeg", "gif", "webp"
  int width = 0;
  int height = 0;
};

struct StillLimits {
  int max_side = 8192;                    // either side
  int64_t max_pixels = 4096LL * 4096;     // width * height: a decompression bomb is refused here
};

// Reads the format from the magic bytes (PNG, JPEG, GIF, WebP) and the size from the header
// (PNG IHDR, JPEG SOFn, GIF screen, WebP VP8/VP8L/VP8X). An error (one line) when the bytes are
// not one of these (HTML, text, SVG, truncated), the size is 0 or over `limits`.
Result<StillHeader> sniff_still(std::string_view bytes, const StillLimits& limits = {});

// `image` scaled down (area average) to fit within max_width x max_height, aspect kept; returned
// unchanged when it already fits.
RgbaImage fit_within(const RgbaImage& image, int max_width, int max_height);

// The cache's stored form: "BCRGBA1 <width> <height>\n" then width*height*4 bytes. Written to a
// temporary file then renamed, so a reader sees the old or the new picture, never half of one.
Status write_rgba_file(const RgbaImage& image, const std::string& path);
// Reads a file written by write_rgba_file; an error when missing, malformed, or a side > max_side.
Result<RgbaImage> read_rgba_file(const std::string& path, int max_side = 4096);

}  // namespace branchcast
