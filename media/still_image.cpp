#include "media/still_image.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

namespace branchcast {
namespace {

uint32_t be16(std::string_view b, size_t i) {
  return (uint32_t(uint8_t(b[i])) << 8) | uint8_t(b[i + 1]);
}
uint32_t be32(std::string_view b, size_t i) { return (be16(b, i) << 16) | be16(b, i + 2); }
uint32_t le16(std::string_view b, size_t i) { return uint8_t(b[i]) | (uint32_t(uint8_t(b[i + 1])) << 8); }
uint32_t le24(std::string_view b, size_t i) { return le16(b, i) | (uint32_t(uint8_t(b[i + 2])) << 16); }

Result<StillHeader> png(std::string_view b) {
  if (b.size() < 24 || b.substr(12, 4) != "IHDR") return make_error("PNG without a header chunk");
  return StillHeader{"png", int(std::min<uint32_t>(be32(b, 16), 1u << 30)), int(std::min<uint32_t>(be32(b, 20), 1u << 30))};
}

Result<StillHeader> jpeg(std::string_view b) {
  size_t i = 2;
  while (i + 4 <= b.size()) {
    if (uint8_t(b[i]) != 0xFF) return make_error("JPEG with a broken segment at byte " + std::to_string(i));
    uint8_t m = uint8_t(b[i + 1]);
    if (m == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {  // no length
      i += 2;
      continue;
    }
    if (m == 0xD9 || m == 0xDA) break;  // end of image / start of scan before any frame header
    const uint32_t len = be16(b, i + 2);
    if (len < 2) return make_error("JPEG with a broken segment length");
    const bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof) {
      if (i + 9 > b.size()) break;
      return StillHeader{"jpeg", int(be16(b, i + 7)), int(be16(b, i + 5))};
    }
    i += 2 + len;
  }
  return make_error("JPEG without a frame header");
}

Result<StillHeader> webp(std::string_view b) {
  if (b.size() < 30) return make_error("WebP too short");
  std::string_view chunk = b.substr(12, 4);
  if (chunk == "VP8 ") {
    if (uint8_t(b[23]) != 0x9d || uint8_t(b[24]) != 0x01 || uint8_t(b[25]) != 0x2a)
      return make_error("WebP with a broken VP8 frame");
    return StillHeader{"webp", int(le16(b, 26) & 0x3fff), int(le16(b, 28) & 0x3fff)};
  }
  if (chunk == "VP8L") {
    if (uint8_t(b[20]) != 0x2f) return make_error("WebP with a broken VP8L header");
    const uint32_t bits = le16(b, 21) | (uint32_t(le16(b, 23)) << 16);
    return StillHeader{"webp", int((bits & 0x3fff) + 1), int(((bits >> 14) & 0x3fff) + 1)};
  }
  if (chunk == "VP8X") return StillHeader{"webp", int(le24(b, 24) + 1), int(le24(b, 27) + 1)};
  return make_error("WebP of an unknown kind");
}

}  // namespace

Result<StillHeader> sniff_still(std::string_view b, const StillLimits& limits) {
  Result<StillHeader> h = make_error("not a picture (PNG, JPEG, GIF or WebP)");
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) h = png(b);
  else if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") h = jpeg(b);
  else if (b.size() >= 10 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a"))
    h = StillHeader{"gif", int(le16(b, 6)), int(le16(b, 8))};
  else if (b.size() >= 16 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") h = webp(b);
  if (!h) return h;
  if (h->width <= 0 || h->height <= 0) return make_error(h->format + " with no size");
  if (h->width > limits.max_side || h->height > limits.max_side ||
      int64_t(h->width) * h->height > limits.max_pixels)
    return make_error(h->format + " of " + std::to_string(h->width) + "x" + std::to_string(h->height) +
                      " is larger than pictures may be (" + std::to_string(limits.max_side) + " a side, " +
                      std::to_string(limits.max_pixels / 1'000'000) + " megapixels)");
  return h;
}

RgbaImage fit_within(const RgbaImage& in, int max_w, int max_h) {
  if (in.width <= max_w && in.height <= max_h) return in;
  const double scale = std::min(double(max_w) / in.width, double(max_h) / in.height);
  RgbaImage out;
  out.width = std::max(1, int(in.width * scale));
  out.height = std::max(1, int(in.height * scale));
  out.pixels.resize(size_t(out.width) * out.height * 4);
  for (int y = 0; y < out.height; ++y) {
    const int y0 = int(int64_t(y) * in.height / out.height);
    const int y1 = std::max(y0 + 1, int(int64_t(y + 1) * in.height / out.height));
    for (int x = 0; x < out.width; ++x) {
      const int x0 = int(int64_t(x) * in.width / out.width);
      const int x1 = std::max(x0 + 1, int(int64_t(x + 1) * in.width / out.width));
      uint64_t sum[4] = {0, 0, 0, 0};
      for (int sy = y0; sy < y1; ++sy)
        for (int sx = x0; sx < x1; ++sx)
          for (int c = 0; c < 4; ++c) sum[c] += in.pixels[(size_t(sy) * in.width + sx) * 4 + c];
      const uint64_t n = uint64_t(y1 - y0) * (x1 - x0);
      for (int c = 0; c < 4; ++c) out.pixels[(size_t(y) * out.width + x) * 4 + c] = uint8_t(sum[c] / n);
    }
  }
  return out;
}

Status write_rgba_file(const RgbaImage& image, const std::string& path) {
  if (image.width <= 0 || image.height <= 0 || image.pixels.size() != size_t(image.width) * image.height * 4)
    return make_error("not a picture");
  const std::string tmp = path + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << "BCRGBA1 " << image.width << " " << image.height << "\n";
    out.write(reinterpret_cast<const char*>(image.pixels.data()), std::streamsize(image.pixels.size()));
    if (!out.flush()) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return make_error(path + ": cannot write");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return make_error(path + ": cannot write: " + ec.message());
  }
  return {};
}

Result<RgbaImage> read_rgba_file(const std::string& path, int max_side) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rbe"), std::fclose);
  if (!f) return make_error(path + ": no such picture");
  RgbaImage img;
  if (std::fscanf(f.get(), "BCRGBA1 %d %d", &img.width, &img.height) != 2 || std::fgetc(f.get()) != '\n' ||
      img.width <= 0 || img.height <= 0 || img.width > max_side || img.height > max_side)
    return make_error(path + ": not a cached picture");
  img.pixels.resize(size_t(img.width) * img.height * 4);
  if (std::fread(img.pixels.data(), 1, img.pixels.size(), f.get()) != img.pixels.size())
    return make_error(path + ": cached picture cut short");
  return img;
}

}  // namespace branchcast
