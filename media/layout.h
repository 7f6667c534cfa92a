// Pure geometry of the screen: the canvas a rotated screen draws on, letterboxing, crossfades.
#pragma once

#include <vector>

#include "common/time.h"
#include "config/settings.h"

namespace branchcast {

struct Size {
  int width = 0;
  int height = 0;
  bool operator==(const Size&) const = default;
};

struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  bool operator==(const Rect&) const = default;
};

// The panel's mode is `resolution`; `rotation` turns the content clockwise onto it. The canvas
// content is laid out on is therefore the resolution itself (0, 180) or its transpose (90, 270).
Size output_size(const ScreenSettings& screen);
Size canvas_size(const ScreenSettings& screen);

// The largest rectangle with the source's aspect ratio that fits `box`, centred (letterbox or
// pillarbox). A zero-sized source gives an empty rectangle.
Rect fit_rect(Size source, Size box);

// Where canvas point (x, y) lands on the output after rotating the canvas clockwise by `rotation`
// degrees (0/90/180/270) about its centre into an output of size `output`.
struct Point {
  int x = 0;
  int y = 0;
  bool operator==(const Point&) const = default;
};
Point canvas_to_output(Point p, Size canvas, int rotation);

// Window mode on a desktop: where each screen's window goes so that all of them are seen at once.
// `windows` are the screens' output sizes in order; they are placed side by side in one row,
// `gap` pixels apart, all scaled by one factor (at most 1) so the row fits `desktop` (the usable
// area, origin included), and the row is centred in it. Each rectangle keeps its window's aspect
// ratio and is at least 1x1. Empty `windows` or an empty desktop give the windows at full size
// from the desktop's origin.
std::vector<Rect> window_places(Rect desktop, const std::vector<Size>& windows, int gap = 16);

// Opacity of the incoming item `elapsed` into a transition of `length`: 0..1, 1 for a cut or
// once the transition is over.
double transition_alpha(Duration elapsed, TransitionSettings transition);

}  // namespace branchcast
