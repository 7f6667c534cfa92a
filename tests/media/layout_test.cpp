#include "media/layout.h"

#include <gtest/gtest.h>

namespace branchcast {
namespace {

ScreenSettings screen(int w, int h, int rotation) {
  ScreenSettings s;
  s.width = w;
  s.height = h;
  s.rotation = rotation;
  return s;
}

TEST(Layout, CanvasIsTransposedForPortraitRotations) {
  EXPECT_EQ(canvas_size(screen(1920, 1080, 0)), (Size{1920, 1080}));
  EXPECT_EQ(canvas_size(screen(1920, 1080, 90)), (Size{1080, 1920}));
  EXPECT_EQ(canvas_size(screen(1920, 1080, 180)), (Size{1920, 1080}));
  EXPECT_EQ(canvas_size(screen(1920, 1080, 270)), (Size{1080, 1920}));
  EXPECT_EQ(output_size(screen(1920, 1080, 90)), (Size{1920, 1080}));
}

TEST(Layout, FitLetterboxesAndPillarboxes) {
  EXPECT_EQ(fit_rect({1280, 720}, {1920, 1080}), (Rect{0, 0, 1920, 1080}));
  EXPECT_EQ(fit_rect({1920, 1080}, {1000, 1000}), (Rect{0, 218, 1000, 563}));
  EXPECT_EQ(fit_rect({1000, 1000}, {1920, 1080}), (Rect{420, 0, 1080, 1080}));
  EXPECT_EQ(fit_rect({1920, 1080}, {1080, 1920}), (Rect{0, 656, 1080, 608}));
  EXPECT_EQ(fit_rect({0, 10}, {100, 100}), Rect{});
  EXPECT_EQ(fit_rect({1, 100000}, {100, 100}).width, 1);  // extreme aspect: never zero-sized
}

TEST(Layout, CanvasToOutputFollowsClockwiseRotation) {
  Size canvas{200, 400};  // a 400x200 panel turned 90
  EXPECT_EQ(canvas_to_output({0, 0}, canvas, 90), (Point{399, 0}));
  EXPECT_EQ(canvas_to_output({0, 0}, {400, 200}, 180), (Point{399, 199}));
  EXPECT_EQ(canvas_to_output({0, 0}, canvas, 270), (Point{0, 199}));
  EXPECT_EQ(canvas_to_output({5, 6}, {400, 200}, 0), (Point{5, 6}));
}

TEST(Layout, TransitionAlpha) {
  TransitionSettings fade{TransitionKind::kCrossfade, Duration(500)};
  EXPECT_DOUBLE_EQ(transition_alpha(Duration(0), fade), 0.0);
  EXPECT_DOUBLE_EQ(transition_alpha(Duration(250), fade), 0.5);
  EXPECT_DOUBLE_EQ(transition_alpha(Duration(900), fade), 1.0);
  EXPECT_DOUBLE_EQ(transition_alpha(Duration(-5), fade), 0.0);
  EXPECT_DOUBLE_EQ(transition_alpha(Duration(0), TransitionSettings{TransitionKind::kCut, Duration(500)}), 1.0);
}

}  // namespace
}  // namespace branchcast

namespace branchcast {
namespace {

// The demo's two 1280x720... here 1920x1080 screens on a 1920x1080 desktop: side by side, each
// scaled to fit half of it, centred, not overlapping.
TEST(WindowPlaces, ScreensSitSideBySideScaledToFitTheDesktop) {
  auto r = window_places({0, 0, 1920, 1080}, {{1920, 1080}, {1920, 1080}}, 16);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].width, 952);
  EXPECT_EQ(r[0].height, 535);
  EXPECT_EQ(r[1].width, 952);
  EXPECT_LE(r[0].x + r[0].width + 16, r[1].x);
  EXPECT_GE(r[0].x, 0);
  EXPECT_LE(r[1].x + r[1].width, 1920);
  EXPECT_EQ(r[0].y, r[1].y);
  EXPECT_EQ(r[0].y, (1080 - 535) / 2);
}

TEST(WindowPlaces, SmallWindowsKeepTheirSizeAndPortraitKeepsItsShape) {
  auto r = window_places({100, 50, 3840, 2160}, {{1280, 720}, {1080, 1920}}, 16);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].width, 1280);
  EXPECT_EQ(r[0].height, 720);
  EXPECT_EQ(r[1].width, 1080);
  EXPECT_EQ(r[1].height, 1920);
  EXPECT_EQ(r[0].x, 100 + (3840 - (1280 + 16 + 1080)) / 2);
  EXPECT_EQ(r[1].x, r[0].x + 1280 + 16);
  // A row too tall for a small desktop shrinks to its height.
  auto small = window_places({0, 0, 1366, 768}, {{1920, 1080}, {1080, 1920}}, 16);
  for (const Rect& w : small) {
    EXPECT_LE(w.y + w.height, 768);
    EXPECT_GE(w.y, 0);
  }
  EXPECT_LE(small[1].x + small[1].width, 1366);
  EXPECT_TRUE(window_places({0, 0, 0, 0}, {}).empty());
}

}  // namespace
}  // namespace branchcast
