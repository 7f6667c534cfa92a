// libFuzzer target: a downloaded picture's first bytes through sniff_still (magic bytes and header
// size, read without decoding). Invariants: an accepted header names a known format and a size
// within the limits; nothing reads outside the input (ASan).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "media/still_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace branchcast;
  // A copy of exactly `size` bytes on the heap, so a read past the end is caught.
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  StillLimits limits;
  auto h = sniff_still(bytes, limits);
  if (h) {
    if (h->format != "png" && h->format != "jpeg" && h->format != "gif" && h->format != "webp") std::abort();
    if (h->width <= 0 || h->height <= 0 || h->width > limits.max_side || h->height > limits.max_side) std::abort();
    if (int64_t(h->width) * h->height > limits.max_pixels) std::abort();
  } else if (h.error().message.empty() || h.error().message.find('\n') != std::string::npos) {
    std::abort();
  }
  return 0;
}
