#include "media/sdl_display.h"

#include <SDL2/SDL.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace branchcast {
namespace {

std::string sdl_error() { return SDL_GetError(); }

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v && *v;
}

// Which output an `auto` screen gets here.
OutputKind resolve_auto() {
  if (const char* drv = std::getenv("SDL_VIDEODRIVER")) {
    std::string d = drv;
    if (d == "offscreen" || d == "dummy") return OutputKind::kOffscreen;
    if (d == "kmsdrm") return OutputKind::kKms;
    if (!d.empty()) return OutputKind::kWindow;
  }
  if (env_set("DISPLAY") || env_set("WAYLAND_DISPLAY")) return OutputKind::kWindow;
  std::error_code ec;
  if (std::filesystem::exists("/dev/dri/card0", ec) || std::filesystem::exists("/dev/dri/card1", ec))
    return OutputKind::kKms;
  return OutputKind::kOffscreen;
}

}  // namespace

namespace {

// The window's title: the screen's name first (what a taskbar shows), then its mode.
std::string window_title_for(const ScreenSettings& screen) {
  return screen.id + " \xE2\x80\x94 Branchcast screen (" + std::to_string(screen.width) + "x" +
         std::to_string(screen.height) + (screen.rotation ? ", rotation " + std::to_string(screen.rotation) : "") + ")";
}

// Where a window of `slot` goes: side by side with the other screens' windows within the first
// display's usable area; centred at full size without a slot.
Rect window_place(const WindowSlot& slot, Size output) {
  if (slot.index < 0 || slot.index >= static_cast<int>(slot.outputs.size()))
    return {SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, output.width, output.height};
  SDL_Rect usable{0, 0, 0, 0};
  if (SDL_GetDisplayUsableBounds(0, &usable) != 0) SDL_GetDisplayBounds(0, &usable);
  return window_places({usable.x, usable.y, usable.w, usable.h}, slot.outputs)[static_cast<size_t>(slot.index)];
}

}  // namespace

Result<std::unique_ptr<SdlDisplay>> SdlDisplay::open(const ScreenSettings& screen, Logger log, WindowSlot slot) {
  std::unique_ptr<SdlDisplay> d(new SdlDisplay(std::move(log)));
  d->output_ = output_size(screen);
  d->canvas_ = canvas_size(screen);
  d->rotation_ = screen.rotation;
  OutputKind kind = screen.output == OutputKind::kAuto ? resolve_auto() : screen.output;

  if (kind == OutputKind::kWindow || kind == OutputKind::kKms) {
    if (kind == OutputKind::kKms) {
      SDL_SetHint(SDL_HINT_VIDEODRIVER, "kmsdrm");
    } else {
      SDL_ResetHint(SDL_HINT_VIDEODRIVER);  // back to $SDL_VIDEODRIVER or SDL's own choice
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
      std::string why = sdl_error();
      if (screen.output != OutputKind::kAuto)
        return make_error("screen " + screen.id + ": cannot open the " + to_string(kind) +
                          " output: " + why);
      d->log_.warn("screen " + screen.id + ": no display (" + why + "); rendering offscreen");
      kind = OutputKind::kOffscreen;
    } else {
      d->video_initialised_ = true;
      Uint32 flags = kind == OutputKind::kKms ? SDL_WINDOW_FULLSCREEN : 0;
      Rect place = kind == OutputKind::kKms
                       ? Rect{SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, d->output_.width, d->output_.height}
                       : window_place(slot, d->output_);
      d->window_ = SDL_CreateWindow(window_title_for(screen).c_str(), place.x, place.y, place.width, place.height,
                                    flags);
      if (!d->window_) {
        std::string why = sdl_error();
        if (screen.output != OutputKind::kAuto)
          return make_error("screen " + screen.id + ": cannot create the window: " + why);
        d->log_.warn("screen " + screen.id + ": cannot create a window (" + why + "); offscreen");
        kind = OutputKind::kOffscreen;
      } else {
        d->renderer_ = SDL_CreateRenderer(
            d->window_, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC | SDL_RENDERER_TARGETTEXTURE);
        if (!d->renderer_) d->renderer_ = SDL_CreateRenderer(d->window_, -1, SDL_RENDERER_SOFTWARE);
        if (!d->renderer_)
          return make_error("screen " + screen.id + ": cannot create a renderer: " + sdl_error());
        // The panel may have another mode than asked: scale our output to it, aspect kept.
        SDL_RenderSetLogicalSize(d->renderer_, d->output_.width, d->output_.height);
        SDL_ShowCursor(SDL_DISABLE);
        d->backend_ = (kind == OutputKind::kKms ? "kms (" : "window (") +
                      std::string(SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "?") + ")";
      }
    }
  }
  if (kind == OutputKind::kOffscreen) {
    // ARGB8888: the format SDL's software renderer converts YUV textures to, so blits are copies.
    d->surface_ = SDL_CreateRGBSurfaceWithFormat(0, d->output_.width, d->output_.height, 32,
                                                 SDL_PIXELFORMAT_ARGB8888);
    if (!d->surface_)
      return make_error("screen " + screen.id + ": cannot allocate the offscreen surface: " + sdl_error());
    d->renderer_ = SDL_CreateSoftwareRenderer(d->surface_);
    if (!d->renderer_)
      return make_error("screen " + screen.id + ": cannot create the software renderer: " + sdl_error());
    d->backend_ = "offscreen";
  }
  if (d->rotation_ != 0) {
    d->canvas_texture_ = SDL_CreateTexture(d->renderer_, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_TARGET,
                                           d->canvas_.width, d->canvas_.height);
    if (!d->canvas_texture_)
      return make_error("screen " + screen.id + ": cannot create the rotation canvas: " + sdl_error());
  }
  return d;
}

std::string SdlDisplay::window_title() const {
  return window_ ? std::string(SDL_GetWindowTitle(window_)) : std::string();
}

Rect SdlDisplay::window_rect() const {
  Rect r;
  if (!window_) return r;
  SDL_GetWindowPosition(window_, &r.x, &r.y);
  SDL_GetWindowSize(window_, &r.width, &r.height);
  return r;
}

SdlDisplay::~SdlDisplay() {
  for (auto& [key, t] : textures_) SDL_DestroyTexture(t.texture);
  if (canvas_texture_) SDL_DestroyTexture(canvas_texture_);
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (surface_) SDL_FreeSurface(surface_);
  if (window_) SDL_DestroyWindow(window_);
  if (video_initialised_) SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

bool SdlDisplay::visible(const Layer& layer) {
  return layer.frame && layer.frame->width > 0 && layer.frame->height > 0 && layer.alpha > 0.0;
}

SdlDisplay::Texture* SdlDisplay::texture_for(const Layer& layer) {
  const VideoFrame& f = *layer.frame;
  Texture& t = textures_[layer.key];
  if (!t.texture || t.width != f.width || t.height != f.height || t.format != f.format) {
    if (t.texture) SDL_DestroyTexture(t.texture);
    t = Texture{};
    Uint32 fmt = f.format == PixelFormat::kI420 ? SDL_PIXELFORMAT_IYUV : SDL_PIXELFORMAT_RGBA32;
    t.texture = SDL_CreateTexture(renderer_, fmt, SDL_TEXTUREACCESS_STREAMING, f.width, f.height);
    if (!t.texture) {
      textures_.erase(layer.key);
      return nullptr;
    }
    t.width = f.width;
    t.height = f.height;
    t.format = f.format;
  }
  if (t.uploaded != &f || t.sequence != f.sequence) {
    int rc = f.format == PixelFormat::kI420
                 ? SDL_UpdateYUVTexture(t.texture, nullptr, f.planes[0], f.strides[0], f.planes[1],
                                        f.strides[1], f.planes[2], f.strides[2])
                 : SDL_UpdateTexture(t.texture, nullptr, f.planes[0], f.strides[0]);
    if (rc != 0) return nullptr;
    t.uploaded = &f;
    t.sequence = f.sequence;
    t.hold = layer.frame;
  }
  return &t;
}

bool SdlDisplay::covers_canvas(const Layer& layer) const {
  const VideoFrame& f = *layer.frame;
  return layer.alpha >= 1.0 && f.format == PixelFormat::kI420 &&
         fit_rect({f.width, f.height}, canvas_) == Rect{0, 0, canvas_.width, canvas_.height};
}

bool SdlDisplay::can_draw_direct(const Layer& layer) const {
  const VideoFrame& f = *layer.frame;
  if (!surface_ || rotation_ != 0 || f.width != output_.width || f.height != output_.height) return false;
  // SDL_ConvertPixels reads IYUV as one block: Y, then U and V with half the Y pitch.
  const int chroma_pitch = (f.strides[0] + 1) / 2;
  return f.strides[1] == chroma_pitch && f.strides[2] == chroma_pitch &&
         f.planes[1] == f.planes[0] + static_cast<size_t>(f.strides[0]) * f.height &&
         f.planes[2] == f.planes[1] + static_cast<size_t>(chroma_pitch) * ((f.height + 1) / 2);
}

bool SdlDisplay::draw_direct(const Layer& layer) {
  if (!can_draw_direct(layer)) return false;
  const VideoFrame& f = *layer.frame;
  SDL_RenderFlush(renderer_);  // nothing queued may land on top of this picture later
  if (SDL_ConvertPixels(f.width, f.height, SDL_PIXELFORMAT_IYUV, f.planes[0], f.strides[0],
                        surface_->format->format, surface_->pixels, surface_->pitch) != 0)
    return false;
  ++direct_draws_;
  return true;
}

Status SdlDisplay::draw_layer(const Layer& layer, bool bottom) {
  if (!visible(layer)) return {};
  if (bottom && covers_canvas(layer) && draw_direct(layer)) return {};
  Texture* t = texture_for(layer);
  if (!t) return make_error("cannot upload a " + std::to_string(layer.frame->width) + "x" +
                            std::to_string(layer.frame->height) + " picture: " + sdl_error());
  Rect r = fit_rect({t->width, t->height}, canvas_);
  SDL_Rect dst{r.x, r.y, r.width, r.height};
  // A decoded video picture is opaque: at full opacity it is copied, not blended per pixel.
  const bool blend = layer.alpha < 1.0 || t->format != PixelFormat::kI420;
  SDL_SetTextureBlendMode(t->texture, blend ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
  SDL_SetTextureAlphaMod(t->texture, static_cast<Uint8>(layer.alpha >= 1.0 ? 255 : layer.alpha * 255.0 + 0.5));
  if (SDL_RenderCopy(renderer_, t->texture, nullptr, &dst) != 0)
    return make_error("cannot draw: " + sdl_error());
  return {};
}

Status SdlDisplay::present(const std::vector<Layer>& layers, RgbaImage* capture) {
  SDL_SetRenderTarget(renderer_, canvas_texture_);  // null: draw straight to the output
  // Layers below an opaque full-canvas picture would be hidden: start drawing from the topmost
  // such picture. The offscreen surface and the rotation canvas keep what was drawn, so they are
  // cleared to black only when no picture covers them; a window/KMS back buffer is undefined
  // after a present (and may be larger than the logical size), so it is always cleared.
  size_t first = layers.size();
  for (size_t i = layers.size(); i-- > 0;) {
    if (visible(layers[i]) && covers_canvas(layers[i])) {
      first = i;
      break;
    }
  }
  const bool covered = first < layers.size();
  if (!covered) first = 0;
  // Offscreen, an output that is nothing but one direct picture stays that picture, unconverted,
  // until it is read back: the next present() redraws the whole surface (a covering picture or
  // a clear), so what the skipped conversion would have left there is never seen.
  if (covered && !capture && can_draw_direct(layers[first]) &&
      std::none_of(layers.begin() + first + 1, layers.end(), visible)) {
    ++direct_draws_;
    ++unconverted_pictures_;
    return {};
  }
  if (!covered || (!surface_ && !canvas_texture_)) {
    SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 255);
    SDL_RenderClear(renderer_);
  }
  Status status;
  for (size_t i = first; i < layers.size(); ++i) {
    if (auto s = draw_layer(layers[i], i == first); !s && status) status = s;
  }
  if (canvas_texture_) {
    SDL_SetRenderTarget(renderer_, nullptr);
    SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 255);
    SDL_RenderClear(renderer_);
    SDL_Rect dst{(output_.width - canvas_.width) / 2, (output_.height - canvas_.height) / 2,
                 canvas_.width, canvas_.height};
    SDL_RenderCopyEx(renderer_, canvas_texture_, nullptr, &dst, rotation_, nullptr, SDL_FLIP_NONE);
  }
  if (capture) {
    capture->width = output_.width;
    capture->height = output_.height;
    capture->pixels.resize(static_cast<size_t>(output_.width) * output_.height * 4);
    if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_RGBA32, capture->pixels.data(),
                             output_.width * 4) != 0 && status)
      status = make_error("cannot read back the screen: " + sdl_error());
  }
  SDL_RenderPresent(renderer_);
  return status;
}

void SdlDisplay::forget(uint64_t key) {
  auto it = textures_.find(key);
  if (it == textures_.end()) return;
  SDL_DestroyTexture(it->second.texture);
  textures_.erase(it);
}

bool SdlDisplay::quit_requested() {
  if (!video_initialised_) return false;
  SDL_Event e;
  bool quit = false;
  while (SDL_PollEvent(&e))
    if (e.type == SDL_QUIT) quit = true;
  return quit;
}

}  // namespace branchcast
