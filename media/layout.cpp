#include "media/layout.h"

#include <algorithm>

namespace branchcast {

Size output_size(const ScreenSettings& screen) { return {screen.width, screen.height}; }

Size canvas_size(const ScreenSettings& screen) {
  if (screen.rotation == 90 || screen.rotation == 270) return {screen.height, screen.width};
  return {screen.width, screen.height};
}

Rect fit_rect(Size source, Size box) {
  if (source.width <= 0 || source.height <= 0 || box.width <= 0 || box.height <= 0) return {};
  // Compare aspect ratios in integers: source.w / source.h vs box.w / box.h.
  long long sw = source.width, sh = source.height, bw = box.width, bh = box.height;
  int w, h;
  if (sw * bh >= bw * sh) {  // wider than the box: full width, bars top and bottom
    w = box.width;
    h = static_cast<int>(std::max(1LL, (sh * bw + sw / 2) / sw));
  } else {
    h = box.height;
    w = static_cast<int>(std::max(1LL, (sw * bh + sh / 2) / sh));
  }
  return {(box.width - w) / 2, (box.height - h) / 2, w, h};
}

Point canvas_to_output(Point p, Size canvas, int rotation) {
  switch (rotation) {
    case 90:
      return {canvas.height - 1 - p.y, p.x};
    case 180:
      return {canvas.width - 1 - p.x, canvas.height - 1 - p.y};
    case 270:
      return {p.y, canvas.width - 1 - p.x};
    default:
      return p;
  }
}

double transition_alpha(Duration elapsed, TransitionSettings transition) {
  if (transition.kind == TransitionKind::kCut || transition.duration.count() <= 0) return 1.0;
  if (elapsed.count() <= 0) return 0.0;
  double a = static_cast<double>(elapsed.count()) / static_cast<double>(transition.duration.count());
  return std::clamp(a, 0.0, 1.0);
}

std::vector<Rect> window_places(Rect desktop, const std::vector<Size>& windows, int gap) {
  std::vector<Rect> out;
  long total_w = 0, max_h = 0;
  for (const Size& w : windows) {
    total_w += std::max(1, w.width);
    max_h = std::max<long>(max_h, std::max(1, w.height));
  }
  double scale = 1.0;
  if (!windows.empty() && desktop.width > 0 && desktop.height > 0) {
    long gaps = static_cast<long>(gap) * static_cast<long>(windows.size() - 1);
    double room = std::max(1.0, static_cast<double>(desktop.width - gaps));
    scale = std::min({1.0, room / static_cast<double>(total_w), desktop.height / static_cast<double>(max_h)});
  }
  int row_w = 0, row_h = 0;
  for (const Size& w : windows) {
    Rect r{0, 0, std::max(1, static_cast<int>(std::max(1, w.width) * scale + 1e-9)),
           std::max(1, static_cast<int>(std::max(1, w.height) * scale + 1e-9))};
    out.push_back(r);
    row_w += r.width;
    row_h = std::max(row_h, r.height);
  }
  if (!out.empty()) row_w += gap * static_cast<int>(out.size() - 1);
  int x = desktop.x + std::max(0, (desktop.width - row_w) / 2);
  for (Rect& r : out) {
    r.x = x;
    r.y = desktop.y + std::max(0, (desktop.height - r.height) / 2);
    x += r.width + gap;
  }
  return out;
}

}  // namespace branchcast
