#include "media/sdl_card_renderer.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <qrencode.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "media/fribidi_text.h"

namespace branchcast {
namespace {

struct Palette {
  SDL_Color background;
  SDL_Color accent;
};

Palette palette_for(CardStyle s) {
  switch (s) {
    case CardStyle::kEvent: return {{11, 31, 58, 255}, {255, 209, 102, 255}};
    case CardStyle::kRecommended: return {{14, 52, 38, 255}, {134, 239, 172, 255}};
    case CardStyle::kNearby: return {{44, 20, 74, 255}, {216, 180, 254, 255}};
    case CardStyle::kOverride: return {{120, 10, 10, 255}, {255, 255, 255, 255}};
    default: return {{17, 17, 17, 255}, {255, 209, 102, 255}};
  }
}

constexpr SDL_Color kWhite{255, 255, 255, 255};

struct SurfaceDeleter {
  void operator()(SDL_Surface* s) const { SDL_FreeSurface(s); }
};
using SurfacePtr = std::unique_ptr<SDL_Surface, SurfaceDeleter>;

// Draws the QR code of `text` as black modules on a white square at `box`.
void draw_qr(SDL_Surface* dst, const std::string& text, SDL_Rect box) {
  QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) return;
  int modules = qr->width + 8;  // 4-module quiet zone each side
  int scale = std::max(1, box.w / modules);
  SDL_Rect bg{box.x, box.y, modules * scale, modules * scale};
  SDL_FillRect(dst, &bg, SDL_MapRGBA(dst->format, 255, 255, 255, 255));
  Uint32 black = SDL_MapRGBA(dst->format, 0, 0, 0, 255);
  for (int y = 0; y < qr->width; ++y)
    for (int x = 0; x < qr->width; ++x)
      if (qr->data[y * qr->width + x] & 1) {
        SDL_Rect m{box.x + (x + 4) * scale, box.y + (y + 4) * scale, scale, scale};
        SDL_FillRect(dst, &m, black);
      }
  QRcode_free(qr);
}

const char* script_tag(TextScript s) {
  switch (s) {
    case TextScript::kArabic: return "Arab";
    case TextScript::kHebrew: return "Hebr";
    default: return "Zzzz";  // SDL2_ttf's default: Latin and the rest shaped as before
  }
}

// A wrapped line reordered for display and measured run by run: what is measured is what is drawn.
struct ShapedLine {
  BidiLine bidi;
  std::vector<int> widths;  // per run, in pixels
  int width = 0;
};

// Tells HarfBuzz (inside SDL2_ttf) the direction and script of `run`: it then joins Arabic letters,
// forms lam-alef ligatures and lays out (and mirrors) an RTL run right to left. No-op without
// HarfBuzz.
void set_shaping(TTF_Font* f, const VisualRun& run, bool harfbuzz) {
  if (!harfbuzz) return;
  TTF_SetFontDirection(f, run.direction == TextDirection::kRightToLeft ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
  TTF_SetFontScriptName(f, script_tag(run.script));
}

std::string run_text(const BidiLine& line, const VisualRun& run) {
  return line.text.substr(run.begin, run.end - run.begin);
}

ShapedLine shape_line(TTF_Font* f, std::string_view line, std::optional<TextDirection> paragraph, bool harfbuzz) {
  ShapedLine out{reorder_line(line, paragraph), {}, 0};
  for (const VisualRun& run : out.bidi.runs) {
    set_shaping(f, run, harfbuzz);
    int w = 0, h = 0;
    if (TTF_SizeUTF8(f, run_text(out.bidi, run).c_str(), &w, &h) != 0) w = 1 << 20;  // never fits
    out.widths.push_back(w);
    out.width = std::min(out.width + w, 1 << 20);
  }
  return out;
}

// Draws `line` in the column [left, left + width) at y: right-aligned for a right-to-left
// paragraph, left-aligned otherwise, runs left to right, clipped to the column.
void draw_line(SDL_Surface* dst, TTF_Font* f, const ShapedLine& line, SDL_Color color, int left, int width, int y,
               bool harfbuzz) {
  const int right = left + width;
  int x = line.bidi.paragraph == TextDirection::kRightToLeft ? std::max(left, right - line.width) : left;
  for (size_t i = 0; i < line.bidi.runs.size() && x < right; ++i) {
    const VisualRun& run = line.bidi.runs[i];
    set_shaping(f, run, harfbuzz);
    SurfacePtr s(TTF_RenderUTF8_Blended(f, run_text(line.bidi, run).c_str(), color));
    if (s) {
      SDL_Rect src{0, 0, std::min({s->w, line.widths[i], right - x}), s->h};  // never overflow
      SDL_Rect at{x, y, src.w, src.h};
      SDL_BlitSurface(s.get(), &src, dst, &at);
    }
    x += line.widths[i];
  }
}

// The direction of each line's paragraph: the first strong character of the paragraph's lines,
// left-to-right when there is none.
std::vector<TextDirection> paragraph_directions(const std::vector<WrappedLine>& lines) {
  std::vector<TextDirection> out(lines.size(), TextDirection::kLeftToRight);
  for (size_t i = 0; i < lines.size();) {
    size_t end = i;
    std::optional<TextDirection> dir;
    for (; end < lines.size() && lines[end].paragraph == lines[i].paragraph; ++end)
      if (!dir) dir = paragraph_direction(lines[end].text);
    for (size_t k = i; k < end; ++k) out[k] = dir.value_or(TextDirection::kLeftToRight);
    i = end;
  }
  return out;
}

}  // namespace

SdlCardRenderer::SdlCardRenderer(Logger log, CardFonts fonts, ImageLoader load_image)
    : log_(std::move(log)), fonts_(std::move(fonts)), load_image_(std::move(load_image)) {
  if (TTF_Init() != 0) throw std::runtime_error(std::string("SDL_ttf cannot start: ") + TTF_GetError());
  if (!font(false, 24) || !font(true, 24))
    throw std::runtime_error("cannot open the card fonts " + fonts_.regular + ", " + fonts_.bold +
                             ": " + TTF_GetError());
  harfbuzz_ = TTF_SetFontDirection(font(false, 24), TTF_DIRECTION_LTR) == 0;
  if (!harfbuzz_)
    log_.warn("SDL_ttf has no HarfBuzz: right-to-left runs are placed in visual order but their letters "
              "are drawn unshaped, left to right");
}

SdlCardRenderer::~SdlCardRenderer() {
  for (auto& [k, f] : cache_) TTF_CloseFont(f);
  TTF_Quit();
}

TTF_Font* SdlCardRenderer::font(bool bold, int size) {
  size = std::clamp(size, 8, 400);
  auto key = std::make_pair(bold, size);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  TTF_Font* f = TTF_OpenFont((bold ? fonts_.bold : fonts_.regular).c_str(), size);
  if (f) cache_[key] = f;
  return f;
}

FramePtr SdlCardRenderer::render(const CardContent& card, Size canvas) {
  auto image = std::make_shared<RgbaImage>();
  image->width = std::max(1, canvas.width);
  image->height = std::max(1, canvas.height);
  image->pixels.resize(static_cast<size_t>(image->width) * image->height * 4);
  SurfacePtr surface(SDL_CreateRGBSurfaceWithFormatFrom(image->pixels.data(), image->width,
                                                        image->height, 32, image->width * 4,
                                                        SDL_PIXELFORMAT_RGBA32));
  if (!surface) return nullptr;
  Palette pal = palette_for(card.style);
  SDL_FillRect(surface.get(), nullptr,
               SDL_MapRGBA(surface->format, pal.background.r, pal.background.g, pal.background.b, 255));

  const int unit = std::min(image->width, image->height);  // portrait screens keep readable type
  const int margin = unit * 7 / 100;
  int text_right = image->width - margin;
  const int bottom = image->height - margin;

  // Right-hand picture or QR code (landscape: right third; portrait: lower part).
  bool side = !card.image.empty() || !card.qr_text.empty();
  if (side) {
    SDL_Rect box;
    if (image->width >= image->height) {
      int w = (image->width - 2 * margin) / 3;
      box = {image->width - margin - w, margin, w, std::min(w, image->height - 2 * margin)};
      text_right = box.x - margin / 2;
    } else {
      int w = image->width - 2 * margin;
      box = {margin, image->height - margin - w * 2 / 3, w * 2 / 3, w * 2 / 3};
    }
    if (!card.qr_text.empty()) {
      draw_qr(surface.get(), card.qr_text, box);
    } else if (load_image_) {
      auto pic = load_image_(card.image);
      if (!pic) {
        log_.warn("card picture skipped: " + pic.error().message);
      } else {
        SurfacePtr src(SDL_CreateRGBSurfaceWithFormatFrom(pic->pixels.data(), pic->width, pic->height, 32,
                                                          pic->width * 4, SDL_PIXELFORMAT_RGBA32));
        Rect r = fit_rect({pic->width, pic->height}, {box.w, box.h});
        SDL_Rect dst{box.x + r.x, box.y + r.y, r.width, r.height};
        if (src) SDL_BlitScaled(src.get(), nullptr, surface.get(), &dst);
      }
    }
  }
  const int text_width = std::max(1, text_right - margin);

  int y = margin;
  // Draws (or with draw=false only measures) one block of wrapped lines starting at y.
  auto block = [&](const std::string& text, bool bold, int size, SDL_Color color, int max_lines, bool draw) {
    if (text.empty() || y >= bottom) return;
    TTF_Font* f = font(bold, size);
    if (!f) return;
    int line_h = TTF_FontLineSkip(f);
    int lines_left = std::max(0, (bottom - y) / std::max(1, line_h));
    // Wrapped in logical order; a line is measured as it will be drawn (reordered, run by run) in
    // either paragraph direction, as its paragraph's is not known yet: the wider of the two, so the
    // drawn line never exceeds the column (they differ at most by shaping across a run boundary).
    auto width_of = [&](std::string_view s) {
      return std::max(shape_line(f, s, TextDirection::kLeftToRight, harfbuzz_).width,
                      shape_line(f, s, TextDirection::kRightToLeft, harfbuzz_).width);
    };
    auto lines = wrap_text(text, text_width, std::min(max_lines, lines_left), width_of);
    auto directions = paragraph_directions(lines);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (draw && !lines[i].text.empty())
        draw_line(surface.get(), f, shape_line(f, lines[i].text, directions[i], harfbuzz_), color, margin,
                  text_width, y, harfbuzz_);
      y += line_h;
    }
    y += line_h / 4;
  };

  bool text_only = card.style == CardStyle::kText || card.style == CardStyle::kOverride;
  auto all_blocks = [&](bool draw) {
    block(card.label, true, unit / 20, pal.accent, 1, draw);
    block(card.title, true, text_only ? unit / 12 : unit / 10, kWhite, text_only ? 8 : 3, draw);
    block(card.when, true, unit / 15, pal.accent, 1, draw);
    block(card.room, false, unit / 18, kWhite, 1, draw);
    block(card.body, false, unit / 22, kWhite, 4, draw);
  };
  if (text_only) {  // a notice reads best centred vertically
    all_blocks(false);
    int used = y - margin;
    y = margin + std::max(0, (bottom - margin - used) / 2);
  }
  all_blocks(true);
  return frame_from_image(std::move(image), ++sequence_);
}

}  // namespace branchcast
