// The SDL compositor offscreen, reading back pixels: what `run`, snapshots and `preview` see.
#include <dlfcn.h>
#include <link.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "media/gst_player.h"
#include "media/sdl_display.h"
#include "test_media.h"

namespace branchcast {
namespace {

using namespace testing_media;

ScreenSettings offscreen(int w, int h, int rotation = 0) {
  ScreenSettings s;
  s.id = "test";
  s.output = OutputKind::kOffscreen;
  s.width = w;
  s.height = h;
  s.rotation = rotation;
  return s;
}

// A canvas-sized black RGBA picture with a 20x20 green marker in its top-left corner.
FramePtr marker_frame(Size canvas) {
  auto img = std::make_shared<RgbaImage>();
  img->width = canvas.width;
  img->height = canvas.height;
  img->pixels.assign(static_cast<size_t>(canvas.width) * canvas.height * 4, 0);
  for (int y = 0; y < canvas.height; ++y)
    for (int x = 0; x < canvas.width; ++x) {
      uint8_t* p = &img->pixels[(static_cast<size_t>(y) * canvas.width + x) * 4];
      p[3] = 255;
      if (x < 20 && y < 20) p[1] = 255;
    }
  return frame_from_image(img);
}

FramePtr solid_frame(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
  auto img = std::make_shared<RgbaImage>();
  img->width = w;
  img->height = h;
  img->pixels.resize(static_cast<size_t>(w) * h * 4);
  for (size_t i = 0; i < img->pixels.size(); i += 4) {
    img->pixels[i] = r;
    img->pixels[i + 1] = g;
    img->pixels[i + 2] = b;
    img->pixels[i + 3] = 255;
  }
  return frame_from_image(img);
}

// A solid I420 picture: Y, U, V values. `one_block`: the planes follow each other in one buffer
// (as GStreamer lays them out); otherwise each plane is its own buffer with a padded stride.
FramePtr solid_i420(int w, int h, uint8_t y, uint8_t u, uint8_t v, bool one_block) {
  const int cw = (w + 1) / 2, ch = (h + 1) / 2;
  auto f = std::make_shared<VideoFrame>();
  f->format = PixelFormat::kI420;
  f->width = w;
  f->height = h;
  auto bytes = std::make_shared<std::vector<uint8_t>>();
  if (one_block) {
    bytes->resize(static_cast<size_t>(w) * h + 2 * static_cast<size_t>(cw) * ch);
    std::fill_n(bytes->begin(), static_cast<size_t>(w) * h, y);
    std::fill_n(bytes->begin() + static_cast<long>(w) * h, static_cast<size_t>(cw) * ch, u);
    std::fill(bytes->begin() + static_cast<long>(w) * h + static_cast<long>(cw) * ch, bytes->end(), v);
    f->planes = {bytes->data(), bytes->data() + w * h, bytes->data() + w * h + cw * ch};
    f->strides = {w, cw, cw};
  } else {
    const int pad = 32;  // strides wider than the picture, planes apart
    const size_t ysize = static_cast<size_t>(w + pad) * h, csize = static_cast<size_t>(cw + pad) * ch;
    bytes->assign(ysize + 4096 + 2 * csize + 4096, 0);
    std::fill_n(bytes->begin(), ysize, y);
    std::fill_n(bytes->begin() + static_cast<long>(ysize + 4096), csize, u);
    std::fill_n(bytes->begin() + static_cast<long>(ysize + 4096 + csize + 4096), csize, v);
    f->planes = {bytes->data(), bytes->data() + ysize + 4096, bytes->data() + ysize + 4096 + csize + 4096};
    f->strides = {w + pad, cw + pad, cw + pad};
  }
  f->sequence = 1;
  f->keepalive = bytes;
  return f;
}

// Sets an environment variable for the lifetime of the object, then restores the old value (or
// unsets it when there was none).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() { old_ ? setenv(name_, old_->c_str(), 1) : unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Paths of the shared objects mapped in this process now.
std::set<std::string> loaded_objects() {
  std::set<std::string> names;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* out) {
        if (info->dlpi_name && *info->dlpi_name)
          static_cast<std::set<std::string>*>(out)->insert(info->dlpi_name);
        return 0;
      },
      &names);
  return names;
}

// Marks every shared object loaded since `before` as never to be unloaded (RTLD_NODELETE), so a
// later dlclose leaves it mapped until the process exits.
void keep_loaded_since(const std::set<std::string>& before) {
  for (const std::string& name : loaded_objects())
    if (!before.count(name)) dlopen(name.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

class CompositorTest : public ::testing::Test {
 protected:
  std::unique_ptr<SdlDisplay> open(int w, int h, int rotation = 0) {
    auto d = SdlDisplay::open(offscreen(w, h, rotation), Logger(sink_, "test"));
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
    return d.ok() ? std::move(*d) : nullptr;
  }
  FramePtr decode(const std::string& path, bool video) {
    ClipId id = player_.prepare({path, video, true, Duration(0)});
    for (int i = 0; i < 5000 && player_.state(id) == ClipState::kPreparing; ++i) {
      player_.poll();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return player_.frame(id);
  }
  NullLogSink sink_;
  GstPlayer player_{Logger(sink_, "test")};
};

TEST_F(CompositorTest, SolidColourPngShowsItsColourAtTheCentreLetterboxed) {
  auto dir = scratch_dir("compositor");
  FramePtr png = decode(make_png(dir + "/orange.png", 0xff8000, 320, 180), false);
  ASSERT_TRUE(png);
  auto display = open(400, 400);
  ASSERT_TRUE(display);
  RgbaImage out;
  ASSERT_TRUE(display->present({{1, png, 1.0}}, &out).ok());
  auto c = out.at(200, 200);
  EXPECT_NEAR(c.r, 255, 3);
  EXPECT_NEAR(c.g, 128, 3);
  EXPECT_NEAR(c.b, 0, 3);
  // 16:9 in a square: black bars above and below, picture full width.
  auto top = out.at(200, 10);
  EXPECT_EQ(top.r + top.g + top.b, 0);
  EXPECT_NEAR(out.at(2, 200).r, 255, 3);
}

TEST_F(CompositorTest, VideoFrameUploadsAsYuvAndShowsItsColour) {
  auto dir = scratch_dir("compositor-video");
  FramePtr f = decode(make_webm(dir + "/green.webm", "solid-color foreground-color=0xff00c000", 5), true);
  ASSERT_TRUE(f);
  ASSERT_EQ(f->format, PixelFormat::kI420);
  auto display = open(320, 180);
  ASSERT_TRUE(display);
  RgbaImage out;
  ASSERT_TRUE(display->present({{1, f, 1.0}}, &out).ok());
  EXPECT_EQ(display->direct_draws(), 1);  // GStreamer's I420 layout is SDL's: no texture needed
  auto c = out.at(160, 90);
  EXPECT_LT(c.r, 30);
  EXPECT_NEAR(c.g, 192, 12);
  EXPECT_LT(c.b, 30);
}

struct RotationCase {
  int rotation;
  int corner_x;  // where the canvas's top-left marker must land (output coordinates)
  int corner_y;
};

class RotationTest : public CompositorTest, public ::testing::WithParamInterface<RotationCase> {};

TEST_P(RotationTest, RotationMovesTheMarkerToTheRightCorner) {
  const auto [rotation, cx, cy] = GetParam();
  auto display = open(400, 200, rotation);
  ASSERT_TRUE(display);
  EXPECT_EQ(display->canvas(), canvas_size(offscreen(400, 200, rotation)));
  RgbaImage out;
  ASSERT_TRUE(display->present({{1, marker_frame(display->canvas()), 1.0}}, &out).ok());
  EXPECT_GT(out.at(cx, cy).g, 200) << "rotation " << rotation;
  // And nowhere else in the four corners.
  int green_corners = 0;
  for (auto [x, y] : {std::pair{10, 10}, {389, 10}, {10, 189}, {389, 189}})
    if (out.at(x, y).g > 200) ++green_corners;
  EXPECT_EQ(green_corners, 1);
  // The pure mapping agrees with the pixels.
  Point p = canvas_to_output({10, 10}, display->canvas(), rotation);
  EXPECT_GT(out.at(p.x, p.y).g, 200);
}

INSTANTIATE_TEST_SUITE_P(AllRotations, RotationTest,
                         ::testing::Values(RotationCase{0, 10, 10}, RotationCase{90, 389, 10},
                                           RotationCase{180, 389, 189}, RotationCase{270, 10, 189}));

TEST_F(CompositorTest, CrossfadeMidpointMixesBothColours) {
  auto display = open(64, 64);
  ASSERT_TRUE(display);
  RgbaImage out;
  FramePtr red = solid_frame(64, 64, 255, 0, 0), blue = solid_frame(64, 64, 0, 0, 255);
  TransitionSettings fade{TransitionKind::kCrossfade, Duration(500)};
  double mid = transition_alpha(Duration(250), fade);
  ASSERT_TRUE(display->present({{1, red, 1.0}, {2, blue, mid}}, &out).ok());
  auto c = out.at(32, 32);
  EXPECT_NEAR(c.r, 127, 4);
  EXPECT_NEAR(c.b, 128, 4);
  // Before and after: one colour each.
  ASSERT_TRUE(display->present({{1, red, 1.0}, {2, blue, transition_alpha(Duration(0), fade)}}, &out).ok());
  EXPECT_EQ(out.at(32, 32).b, 0);
  ASSERT_TRUE(display->present({{2, blue, transition_alpha(Duration(500), fade)}}, &out).ok());
  EXPECT_EQ(out.at(32, 32).r, 0);
  EXPECT_EQ(out.at(32, 32).b, 255);
}

TEST_F(CompositorTest, FullScreenVideoPictureGoesStraightToTheSurfaceWithTheTexturePathsColours) {
  auto display = open(64, 48);
  ASSERT_TRUE(display);
  RgbaImage direct, textured;
  // Y=145 U=54 V=34: a green. One block: converted straight into the output surface.
  ASSERT_TRUE(display->present({{1, solid_i420(64, 48, 145, 54, 34, true), 1.0}}, &direct).ok());
  EXPECT_EQ(display->direct_draws(), 1);
  // Planes apart: the texture path. Same picture, same colours.
  ASSERT_TRUE(display->present({{2, solid_i420(64, 48, 145, 54, 34, false), 1.0}}, &textured).ok());
  EXPECT_EQ(display->direct_draws(), 1);
  auto a = direct.at(32, 24), b = textured.at(32, 24);
  EXPECT_GT(a.g, 200);
  EXPECT_LT(a.r + a.b, 60);
  EXPECT_NEAR(a.r, b.r, 2);
  EXPECT_NEAR(a.g, b.g, 2);
  EXPECT_NEAR(a.b, b.b, 2);
  EXPECT_EQ(a.a, 255);
}

TEST_F(CompositorTest, AFullScreenPictureNobodyReadsIsNotConvertedAndReadingItShowsTheNewest) {
  auto display = open(64, 48);
  ASSERT_TRUE(display);
  RgbaImage out;
  FramePtr white = solid_i420(64, 48, 235, 128, 128, true), black = solid_i420(64, 48, 16, 128, 128, true);
  ASSERT_TRUE(display->present({{1, white, 1.0}}, &out).ok());
  EXPECT_EQ(display->unconverted_pictures(), 0);  // read back: converted
  // Presents with nothing reading the surface keep the decoded picture as it is.
  ASSERT_TRUE(display->present({{1, black, 1.0}}).ok());
  ASSERT_TRUE(display->present({{2, white, 1.0}, {3, black, 0.0}}).ok());  // invisible layer on top
  EXPECT_EQ(display->unconverted_pictures(), 2);
  EXPECT_EQ(display->direct_draws(), 3);
  // A picture drawn over an unconverted one: the bottom is converted first, then blended.
  ASSERT_TRUE(display->present({{1, black, 1.0}}).ok());
  ASSERT_TRUE(display->present({{1, black, 1.0}, {2, white, 0.5}}, &out).ok());
  EXPECT_NEAR(out.at(32, 24).g, 128, 6);
  // An unconverted white, then a letterboxed black picture: bars are black, the picture black.
  ASSERT_TRUE(display->present({{2, white, 1.0}}).ok());
  ASSERT_TRUE(display->present({{4, solid_i420(64, 24, 16, 128, 128, true), 1.0}}, &out).ok());
  EXPECT_LT(out.at(32, 2).g + out.at(32, 24).g, 4);
  // Reading back the same picture again converts it now.
  ASSERT_TRUE(display->present({{1, black, 1.0}}).ok());
  ASSERT_TRUE(display->present({{1, black, 1.0}}, &out).ok());
  EXPECT_LT(out.at(32, 24).g, 4);
  EXPECT_EQ(display->unconverted_pictures(), 5);
}

TEST_F(CompositorTest, VideoCrossfadeOverADirectPictureMixesAndSmallerPicturesGetBlackBars) {
  auto display = open(64, 48);
  ASSERT_TRUE(display);
  RgbaImage out;
  FramePtr white = solid_i420(64, 48, 235, 128, 128, true), black = solid_i420(64, 48, 16, 128, 128, true);
  ASSERT_TRUE(display->present({{1, white, 1.0}, {2, black, 0.5}}, &out).ok());
  EXPECT_EQ(display->direct_draws(), 1);  // the bottom picture; the fading one is blended on top
  EXPECT_NEAR(out.at(32, 24).g, 128, 6);
  // A picture that covers the canvas hides what is below it: nothing else is drawn.
  ASSERT_TRUE(display->present({{1, white, 1.0}, {2, black, 1.0}}, &out).ok());
  EXPECT_LT(out.at(32, 24).g, 4);
  // The previous frame filled the whole surface; a letterboxed picture still gets black bars.
  ASSERT_TRUE(display->present({{3, white, 1.0}}, &out).ok());
  ASSERT_TRUE(display->present({{4, solid_i420(64, 24, 235, 128, 128, true), 1.0}}, &out).ok());
  EXPECT_GT(out.at(32, 24).g, 250);
  EXPECT_EQ(out.at(32, 2).r + out.at(32, 2).g + out.at(32, 2).b, 0);
  // Rotated screens draw on the canvas texture: same colours, no direct path.
  auto rotated = open(48, 64, 90);
  ASSERT_TRUE(rotated);
  ASSERT_TRUE(rotated->present({{1, white, 1.0}}, &out).ok());
  EXPECT_GT(out.at(24, 32).g, 250);
  EXPECT_EQ(rotated->direct_draws(), 0);
}

TEST_F(CompositorTest, NoLayersIsBlackAndOddSizedFramesDoNotCrash) {
  auto display = open(50, 30);
  ASSERT_TRUE(display);
  RgbaImage out;
  ASSERT_TRUE(display->present({}, &out).ok());
  EXPECT_EQ(out.at(25, 15).r + out.at(25, 15).g, 0);
  ASSERT_TRUE(display->present({{7, solid_frame(1, 999, 9, 9, 9), 1.0}}, &out).ok());
}

TEST_F(CompositorTest, AutoFallsBackToOffscreenAndKmsSaysWhyItFails) {
  if (std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY") || std::getenv("SDL_VIDEODRIVER") ||
      std::filesystem::exists("/dev/dri"))
    GTEST_SKIP() << "a display is available here";
  ScreenSettings s = offscreen(64, 36);
  s.output = OutputKind::kAuto;
  auto d = SdlDisplay::open(s, Logger(sink_, "test"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ((*d)->backend(), "offscreen");
  s.output = OutputKind::kKms;
  auto k = SdlDisplay::open(s, Logger(sink_, "test"));
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.error().message.find("screen test"), std::string::npos) << k.error().message;
}

TEST_F(CompositorTest, WindowPathThroughSdlsOffscreenVideoDriver) {
  // SDL's own "offscreen" video driver gives a real SDL_Window and renderer without a display:
  // the window code path (window, renderer, logical size, rotation target, read-back) runs here.
  // Without a GPU the window's renderer (and even the software renderer's window framebuffer,
  // which SDL keeps as a GL texture) draws through Mesa's software GL (swrast_dri.so).
  //
  // Mesa's default software rasteriser, llvmpipe, compiles shaders with LLVM's JIT and registers
  // their unwind tables with libgcc (__register_frame). Under ASan with full unwinding on malloc
  // (ASAN_OPTIONS=fast_unwind_on_malloc=0, set by tests/media/CMakeLists.txt for the GLib
  // suppressions) that deadlocked: the next malloc unwinds with _Unwind_Backtrace ->
  // _Unwind_Find_FDE, which takes libgcc's unwinder mutex and, to index the newly registered
  // tables, calls malloc again; ASan unwinds that malloc too and blocks on the same non-recursive
  // mutex, held by its own thread. Softpipe, Mesa's other software rasteriser, interprets shaders
  // (no JIT, nothing registered); the colours checked here are the same with either.
  ScopedEnv gl("GALLIUM_DRIVER", "softpipe");
  // On SDL_QuitSubSystem (the display's destructor) SDL and Mesa dlclose the GL libraries, and
  // allocations they still held from their globals would become unreachable and be reported by
  // LeakSanitizer at exit with stacks through unloaded (unsymbolisable) modules. Keeping those
  // libraries mapped, as a running appliance does, keeps that memory reachable; our own
  // allocations are still checked.
  const std::set<std::string> before = loaded_objects();
  ScopedEnv driver("SDL_VIDEODRIVER", "offscreen");
  ScreenSettings s = offscreen(200, 100, 90);
  s.output = OutputKind::kWindow;
  auto w = SdlDisplay::open(s, Logger(sink_, "test"));
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ((*w)->backend().rfind("window (", 0), 0u) << (*w)->backend();
  RgbaImage out;
  Status presented = (*w)->present({{1, marker_frame((*w)->canvas()), 1.0}}, &out);
  keep_loaded_since(before);
  ASSERT_TRUE(presented.ok()) << presented.error().message;
  ASSERT_EQ(out.width, 200);
  EXPECT_GT(out.at(189, 10).g, 200);  // rotated 90: top-left marker at the top-right
  EXPECT_FALSE((*w)->quit_requested());
}

// Window mode on a desktop: each screen gets its own place, side by side and scaled to fit the
// desktop's usable area (SDL's offscreen video driver stands in for the desktop), titled with its
// screen's name.
TEST_F(CompositorTest, WindowsOfSeveralScreensSitSideBySideTitledByScreen) {
  ScopedEnv gl("GALLIUM_DRIVER", "softpipe");
  const std::set<std::string> before = loaded_objects();
  ScopedEnv driver("SDL_VIDEODRIVER", "offscreen");
  ScreenSettings a = offscreen(1920, 1080);
  a.id = "entrance";
  a.output = OutputKind::kWindow;
  ScreenSettings b = a;
  b.id = "children";
  WindowSlot slot{{{1920, 1080}, {1920, 1080}}, 0};
  auto wa = SdlDisplay::open(a, Logger(sink_, "test"), slot);
  slot.index = 1;
  auto wb = SdlDisplay::open(b, Logger(sink_, "test"), slot);
  keep_loaded_since(before);
  ASSERT_TRUE(wa.ok()) << wa.error().message;
  ASSERT_TRUE(wb.ok()) << wb.error().message;
  EXPECT_TRUE((*wa)->is_window());
  EXPECT_EQ((*wa)->window_title().rfind("entrance", 0), 0u) << (*wa)->window_title();
  EXPECT_EQ((*wb)->window_title().rfind("children", 0), 0u) << (*wb)->window_title();
  Rect ra = (*wa)->window_rect(), rb = (*wb)->window_rect();
  EXPECT_LE(ra.x + ra.width, rb.x) << "windows overlap";
  EXPECT_EQ(ra.y, rb.y);
  EXPECT_LT(ra.width, 1920);  // scaled to share the desktop
  EXPECT_NEAR(static_cast<double>(ra.width) / ra.height, 16.0 / 9.0, 0.02);
  EXPECT_EQ((*wa)->output(), (Size{1920, 1080}));  // the picture is still composed at the screen's size
}

}  // namespace
}  // namespace branchcast
