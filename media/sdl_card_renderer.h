// SDL2_ttf adapter of the CardRenderer port: draws a CardContent as a high-contrast slide (large
// DejaVu type with per-character fallback faces for other scripts (media/sdl_font_chain.h), light
// on dark), with the text wrapped and ellipsized by media/card.h so it never
// overflows, an optional picture on the right and, for nearby cards, a QR code.
// Right-to-left and mixed text: each wrapped line is reordered by media/fribidi_text.h and its
// runs shaped by SDL2_ttf's HarfBuzz (Arabic joining, mirrored brackets); a right-to-left paragraph
// is right-aligned in the text column, a left-to-right one left-aligned.
//
// Works without a video driver (renders into an RGBA surface). Loop thread only. Fonts are
// opened once per face and size and kept. Every piece of text is drawn inside the card's margins.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/log.h"
#include "media/ports.h"
#include "media/sdl_font_chain.h"

namespace branchcast {

class SdlCardRenderer final : public CardRenderer {
 public:
  using ImageLoader = std::function<Result<RgbaImage>(const std::string& path)>;
  // Throws std::runtime_error if SDL_ttf cannot start or the primary fonts cannot be opened
  // (start-up). Missing fallback faces are one warning: their scripts draw as boxes.
  SdlCardRenderer(Logger log, CardFonts fonts = {}, ImageLoader load_image = nullptr);
  ~SdlCardRenderer() override;
  SdlCardRenderer(const SdlCardRenderer&) = delete;
  SdlCardRenderer& operator=(const SdlCardRenderer&) = delete;

  FramePtr render(const CardContent& card, Size canvas) override;

  // True when some card face has a glyph for c (what `validate` warns about otherwise).
  bool can_draw(char32_t c);

 private:
  Logger log_;
  SdlFontChain fonts_;
  ImageLoader load_image_;
  bool harfbuzz_ = false;  // SDL2_ttf shapes with HarfBuzz (Debian's does): runs get direction+script
  uint64_t sequence_ = 0;
};

}  // namespace branchcast
