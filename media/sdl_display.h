// SDL2 adapter of the Display port. One SdlDisplay owns one output for its lifetime:
// - offscreen: a software renderer on an RGBA surface (no video driver, no display needed),
// - window: a window on the desktop's video driver (X11/Wayland),
// - kms: a fullscreen KMSDRM surface (a Pi with no desktop).
// `output: auto` picks window when DISPLAY/WAYLAND_DISPLAY is set, else KMSDRM when a DRM device
// exists, else offscreen; SDL_VIDEODRIVER=offscreen|dummy forces offscreen.
//
// Content is drawn on a canvas (layout.h canvas_size) and turned clockwise by the rotation onto
// the output. Frames are uploaded as textures (I420 planes with SDL_UpdateYUVTexture, RGBA as is)
// and re-uploaded only when a layer's frame changes. Opaque video pictures are copied, not
// blended, and nothing is drawn below a picture that fills the canvas. Offscreen, a full-screen
// video picture is converted straight into the output surface (no texture in between), and only
// when somebody looks: nothing but a read-back (`capture`) can see an offscreen surface, so a
// frame whose whole output is one such picture keeps it as decoded (I420, like a KMS plane
// scanning out YUV) and converts it to RGB only when it is read back or drawn over.
// Loop thread only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/log.h"
#include "config/settings.h"
#include "media/ports.h"

struct SDL_Window;
struct SDL_Renderer;
struct SDL_Surface;
struct SDL_Texture;

namespace branchcast {

// Where a window goes on a desktop with other screens' windows (media/layout.h window_places):
// `outputs` are the output sizes of every screen shown in a window, `index` this screen's
// position among them. index < 0: centred at its own size.
struct WindowSlot {
  std::vector<Size> outputs;
  int index = -1;
};

class SdlDisplay final : public Display {
 public:
  // Opens the output for `screen` (its output kind, resolution and rotation). With kAuto, falls
  // back to offscreen when no display works. Error says which output failed and why. A window is
  // titled with the screen's id and placed by `slot` within the desktop's usable area (scaled
  // down to fit beside the others; the picture is scaled into it, aspect kept).
  static Result<std::unique_ptr<SdlDisplay>> open(const ScreenSettings& screen, Logger log, WindowSlot slot = {});
  ~SdlDisplay() override;
  SdlDisplay(const SdlDisplay&) = delete;
  SdlDisplay& operator=(const SdlDisplay&) = delete;

  Size output() const override { return output_; }
  Size canvas() const override { return canvas_; }
  Status present(const std::vector<Layer>& layers, RgbaImage* capture = nullptr) override;
  void forget(uint64_t key) override;

  // "offscreen", "window (x11)", "kmsdrm", ...
  const std::string& backend() const { return backend_; }
  bool is_offscreen() const { return surface_ != nullptr; }
  // Presents whose bottom picture took the direct path (converted straight into the offscreen
  // surface, or kept unconverted) since open.
  long direct_draws() const { return direct_draws_; }
  // Of those, the pictures that were never converted: the whole output was that one picture and
  // nothing read it back before the next present replaced it.
  long unconverted_pictures() const { return unconverted_pictures_; }
  // Window/KMS: true once the user closed the window (SDL_QUIT). Pumps SDL events.
  bool quit_requested();
  // A window's title and place on the desktop; "" and an empty rectangle otherwise.
  std::string window_title() const;
  Rect window_rect() const;
  bool is_window() const { return window_ != nullptr && backend_.rfind("window", 0) == 0; }

 private:
  struct Texture {
    SDL_Texture* texture = nullptr;
    int width = 0;
    int height = 0;
    PixelFormat format = PixelFormat::kRgba;
    const VideoFrame* uploaded = nullptr;
    uint64_t sequence = 0;
    FramePtr hold;  // keeps `uploaded` alive so the pointer comparison stays valid
  };
  SdlDisplay(Logger log) : log_(std::move(log)) {}
  static bool visible(const Layer& layer);
  // An opaque (decoded video, full opacity) picture that fills the whole canvas: nothing below it
  // needs drawing or clearing.
  bool covers_canvas(const Layer& layer) const;
  // Offscreen, unrotated, a picture of exactly the output's size whose planes form one IYUV block:
  // converts it straight into the output surface (SDL's SIMD YUV->RGB) with no texture copy and no
  // blit. False when it does not apply (the caller then draws through a texture).
  bool can_draw_direct(const Layer& layer) const;
  bool draw_direct(const Layer& layer);
  // `bottom`: the first layer drawn this frame (nothing drawn below it yet).
  Status draw_layer(const Layer& layer, bool bottom);
  Texture* texture_for(const Layer& layer);

  Logger log_;
  std::string backend_;
  Size output_;
  Size canvas_;
  int rotation_ = 0;
  bool video_initialised_ = false;
  SDL_Window* window_ = nullptr;
  SDL_Surface* surface_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  SDL_Texture* canvas_texture_ = nullptr;  // only when rotated
  std::map<uint64_t, Texture> textures_;
  long direct_draws_ = 0;
  long unconverted_pictures_ = 0;
};

}  // namespace branchcast
