#include "media/sdl_card_renderer.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <qrencode.h>

#include <algorithm>
#include <cstring>
#include <optional>
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
    case CardStyle::kStandby: return {{10, 10, 12, 255}, {96, 96, 104, 255}};
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

// A wrapped line reordered for display, each directional run split where the face or the script
// changes, and measured piece by piece: what is measured is what is drawn.
struct ShapedPiece {
  FontRun run;
  TextDirection direction = TextDirection::kLeftToRight;
  int width = 0;  // pixels
};
struct ShapedLine {
  BidiLine bidi;
  std::vector<ShapedPiece> pieces;  // left to right on screen
  int width = 0;
};

// Tells HarfBuzz (inside SDL2_ttf) the direction and script of a piece: it then joins Arabic
// letters, forms Indic conjuncts and lays out (and mirrors) an RTL run right to left. No-op
// without HarfBuzz.
void set_shaping(TTF_Font* f, const ShapedPiece& piece, bool harfbuzz) {
  if (!harfbuzz) return;
  TTF_SetFontDirection(f, piece.direction == TextDirection::kRightToLeft ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
  TTF_SetFontScriptName(f, script_tag(piece.run.script == Script::kCommon ? Script::kOther : piece.run.script));
}

std::string piece_text(const BidiLine& line, const ShapedPiece& piece) {
  return line.text.substr(piece.run.begin, piece.run.end - piece.run.begin);
}

ShapedLine shape_line(SdlFontChain& fonts, bool bold, int size, std::string_view line,
                      std::optional<TextDirection> paragraph, bool harfbuzz) {
  ShapedLine out{reorder_line(line, paragraph), {}, 0};
  for (const VisualRun& run : out.bidi.runs) {
    auto pieces = fonts.split(out.bidi.text, run.begin, run.end, bold, size);
    if (run.direction == TextDirection::kRightToLeft) std::reverse(pieces.begin(), pieces.end());
    for (const FontRun& fr : pieces) {
      ShapedPiece piece{fr, run.direction, 1 << 20};  // never fits unless measured
      if (TTF_Font* f = fonts.font(fr.face, bold, size)) {
        set_shaping(f, piece, harfbuzz);
        int w = 0, h = 0;
        if (TTF_SizeUTF8(f, piece_text(out.bidi, piece).c_str(), &w, &h) == 0) piece.width = w;
      }
      out.pieces.push_back(piece);
      out.width = std::min(out.width + piece.width, 1 << 20);
    }
  }
  return out;
}

// Draws `line` in the column [left, left + width) at y: right-aligned for a right-to-left
// paragraph, left-aligned otherwise, pieces left to right on the primary face's baseline, clipped
// to the column (and to the surface's clip rectangle, the card's margins).
void draw_line(SDL_Surface* dst, SdlFontChain& fonts, bool bold, int size, const ShapedLine& line, SDL_Color color,
               int left, int width, int y, bool harfbuzz) {
  const int right = left + width;
  int x = line.bidi.paragraph == TextDirection::kRightToLeft ? std::max(left, right - line.width) : left;
  for (size_t i = 0; i < line.pieces.size() && x < right; ++i) {
    const ShapedPiece& piece = line.pieces[i];
    TTF_Font* f = fonts.font(piece.run.face, bold, size);
    if (f) {
      set_shaping(f, piece, harfbuzz);
      SurfacePtr s(TTF_RenderUTF8_Blended(f, piece_text(line.bidi, piece).c_str(), color));
      if (s) {
        SDL_Rect src{0, 0, std::min({s->w, piece.width, right - x}), s->h};  // never overflow
        SDL_Rect at{x, y + fonts.baseline_offset(piece.run.face, bold, size), src.w, src.h};
        SDL_BlitSurface(s.get(), &src, dst, &at);
      }
    }
    x += piece.width;
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
  if (!fonts_.primary(false, 24) || !fonts_.primary(true, 24))
    throw std::runtime_error("cannot open the card fonts: " + std::string(TTF_GetError()));
  harfbuzz_ = TTF_SetFontDirection(fonts_.primary(false, 24), TTF_DIRECTION_LTR) == 0;
  if (!harfbuzz_)
    log_.warn("SDL_ttf has no HarfBuzz: right-to-left runs are placed in visual order but their letters "
              "are drawn unshaped, left to right");
  auto unusable = fonts_.unusable_files();
  if (!unusable.empty()) {
    std::string list;
    for (const auto& f : unusable) list += (list.empty() ? "" : ", ") + f;
    log_.warn("card fonts missing (text in their scripts shows as boxes): " + list);
  }
}

SdlCardRenderer::~SdlCardRenderer() = default;

bool SdlCardRenderer::can_draw(char32_t c) { return fonts_.can_draw(c); }

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

  // Right-hand picture or QR code (landscape: right third; portrait: lower part). A picture that
  // cannot be read leaves the card text-only (a feed picture not cached yet, without a warning).
  std::optional<RgbaImage> pic;
  if (card.qr_text.empty() && !card.image.empty() && load_image_) {
    auto loaded = load_image_(card.image);
    if (loaded && loaded->width > 0 && loaded->height > 0) pic = std::move(*loaded);
    else if (!card.image_optional) log_.warn("card picture skipped: " + (loaded ? card.image : loaded.error().message));
  }
  bool side = pic || !card.qr_text.empty();
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
    } else {
      SurfacePtr src(SDL_CreateRGBSurfaceWithFormatFrom(pic->pixels.data(), pic->width, pic->height, 32,
                                                        pic->width * 4, SDL_PIXELFORMAT_RGBA32));
      Rect r = fit_rect({pic->width, pic->height}, {box.w, box.h});
      SDL_Rect dst{box.x + r.x, box.y + r.y, r.width, r.height};
      if (src) SDL_BlitScaled(src.get(), nullptr, surface.get(), &dst);
    }
  }
  const int text_width = std::max(1, text_right - margin);

  int y = margin;
  // Draws (or with draw=false only measures) one block of wrapped lines starting at y.
  auto block = [&](const std::string& text, bool bold, int size, SDL_Color color, int max_lines, bool draw) {
    if (text.empty() || y >= bottom) return;
    TTF_Font* f = fonts_.primary(bold, size);
    if (!f) return;
    int line_h = TTF_FontLineSkip(f);
    int lines_left = std::max(0, (bottom - y) / std::max(1, line_h));
    // Wrapped in logical order; a line is measured as it will be drawn (reordered, run by run) in
    // either paragraph direction, as its paragraph's is not known yet: the wider of the two, so the
    // drawn line never exceeds the column (they differ at most by shaping across a run boundary).
    auto width_of = [&](std::string_view s) {
      return std::max(shape_line(fonts_, bold, size, s, TextDirection::kLeftToRight, harfbuzz_).width,
                      shape_line(fonts_, bold, size, s, TextDirection::kRightToLeft, harfbuzz_).width);
    };
    auto lines = wrap_text(text, text_width, std::min(max_lines, lines_left), width_of);
    auto directions = paragraph_directions(lines);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (draw && !lines[i].text.empty())
        draw_line(surface.get(), fonts_, bold, size,
                  shape_line(fonts_, bold, size, lines[i].text, directions[i], harfbuzz_), color, margin,
                  text_width, y, harfbuzz_);
      y += line_h;
    }
    y += line_h / 4;
  };

  bool text_only = card.style == CardStyle::kText || card.style == CardStyle::kOverride ||
                   card.style == CardStyle::kStandby;
  const SDL_Color title_color = card.style == CardStyle::kStandby ? pal.accent : kWhite;  // dim
  auto all_blocks = [&](bool draw) {
    block(card.label, true, unit / 20, pal.accent, 1, draw);
    block(card.title, true, text_only ? unit / 12 : unit / 10, title_color, text_only ? 8 : 3, draw);
    block(card.when, true, unit / 15, pal.accent, 1, draw);
    block(card.room, false, unit / 18, kWhite, 1, draw);
    block(card.body, false, unit / 22, kWhite, 4, draw);
  };
  if (text_only) {  // a notice reads best centred vertically
    all_blocks(false);
    int used = y - margin;
    y = margin + std::max(0, (bottom - margin - used) / 2);
  }
  SDL_Rect text_area{margin, margin, text_width, std::max(1, bottom - margin)};
  SDL_SetClipRect(surface.get(), &text_area);  // a fallback face's tall marks stay inside the margins
  all_blocks(true);
  return frame_from_image(std::move(image), ++sequence_);
}

}  // namespace branchcast
