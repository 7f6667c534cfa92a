// Pixel helpers for card tests: where a rendered card has ink (pixels unlike its background).
#pragma once

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <utility>
#include <vector>

#include "media/frame.h"

namespace branchcast {

// Where a card has ink (pixels unlike the background): a box, empty when max_x < min_x.
struct InkBox {
  int min_x = INT_MAX, max_x = -1, min_y = INT_MAX, max_y = -1;
  bool empty() const { return max_x < min_x; }
  int width() const { return max_x - min_x + 1; }
};

inline bool is_ink(const RgbaImage& img, int x, int y) {
  auto bg = img.at(img.width - 1, 0);
  auto p = img.at(x, y);
  return p.r != bg.r || p.g != bg.g || p.b != bg.b;
}

// Ink within rows [y0, y1).
inline InkBox ink_box(const RgbaImage& img, int y0 = 0, int y1 = INT_MAX) {
  InkBox box;
  for (int y = std::max(0, y0); y < std::min(img.height, y1); ++y)
    for (int x = 0; x < img.width; ++x)
      if (is_ink(img, x, y)) {
        box.min_x = std::min(box.min_x, x);
        box.max_x = std::max(box.max_x, x);
        box.min_y = std::min(box.min_y, y);
        box.max_y = std::max(box.max_y, y);
      }
  return box;
}

// Rows [y0, y1) of each band of inked rows, top to bottom: one per drawn line.
inline std::vector<std::pair<int, int>> ink_bands(const RgbaImage& img) {
  std::vector<std::pair<int, int>> bands;
  for (int y = 0; y < img.height; ++y) {
    bool inked = !ink_box(img, y, y + 1).empty();
    if (inked && (bands.empty() || bands.back().second != y)) bands.push_back({y, y + 1});
    else if (inked) bands.back().second = y + 1;
  }
  return bands;
}

// Sum of brightness differences of two cards' ink, each cropped to its ink box.
inline long ink_difference(const RgbaImage& a, const RgbaImage& b) {
  InkBox ba = ink_box(a), bb = ink_box(b);
  long diff = 0;
  int w = std::max(ba.width(), bb.width()), h = std::max(ba.max_y - ba.min_y, bb.max_y - bb.min_y) + 1;
  auto lum = [](const RgbaImage& img, const InkBox& box, int x, int y) {
    x += box.min_x, y += box.min_y;
    if (x > box.max_x || y > box.max_y) return 0;
    auto p = img.at(x, y);
    return p.r + p.g + p.b;
  };
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) diff += std::abs(lum(a, ba, x, y) - lum(b, bb, x, y));
  return diff;
}

}  // namespace branchcast
