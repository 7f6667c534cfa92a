// SDL2_ttf font fallback for cards: the primary face (DejaVu Sans: Latin, Greek, Cyrillic, Arabic,
// Hebrew, Armenian, Georgian) and fallback faces tried in order for characters it lacks (Indic
// scripts, Thai, Han/Kana/Hangul), all from Debian font packages (docs/media.md "Fonts").
// A directional run of a card line is split where the drawing face or the script changes, so each
// piece is measured, shaped (HarfBuzz, with its own script tag) and drawn with one face.
//
// Loop thread only (or any one thread: nothing is shared). Faces are opened lazily, once per
// (face, weight, size), and kept until destruction; a face whose file is missing is skipped.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "common/unicode_script.h"

typedef struct _TTF_Font TTF_Font;

namespace branchcast {

struct FontFace {
  std::string regular;
  std::string bold;  // "" : the regular file drawn with SDL_ttf's synthetic bold
};

// The compact fallback set installed with the .deb (scripts/packages-build.txt, the image).
std::vector<FontFace> default_fallback_fonts();

struct CardFonts {
  std::string regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::string bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  std::vector<FontFace> fallbacks = default_fallback_fonts();
};

// A piece of text drawn with one face: bytes [begin, end), logical order.
struct FontRun {
  size_t begin = 0;
  size_t end = 0;
  int face = 0;                    // 0: primary, i: fallbacks[i - 1]
  Script script = Script::kCommon; // of its letters (kCommon: none), for HarfBuzz
  bool operator==(const FontRun&) const = default;
};

class SdlFontChain {
 public:
  // Starts SDL_ttf (reference counted; TTF_Quit on destruction). Throws std::runtime_error if
  // SDL_ttf cannot start. Opens no file yet.
  explicit SdlFontChain(CardFonts fonts);
  ~SdlFontChain();
  SdlFontChain(const SdlFontChain&) = delete;
  SdlFontChain& operator=(const SdlFontChain&) = delete;

  // The face at `size` pixels (clamped to 8..400), or null if its file cannot be opened.
  TTF_Font* font(int face, bool bold, int size);
  TTF_Font* primary(bool bold, int size) { return font(0, bold, size); }

  // Splits text[begin, end) (one directional run) into pieces in logical order: each letter goes to
  // the first face that has its glyph (the primary when none has); spaces, digits, punctuation and
  // combining marks stay with the piece before them when its face has them. Covers the range once.
  std::vector<FontRun> split(std::string_view text, size_t begin, size_t end, bool bold, int size);

  // True when some face of the chain (regular weight) has a glyph for c.
  bool can_draw(char32_t c);

  // The primary and fallback files that cannot be opened (for one start-up warning).
  std::vector<std::string> unusable_files();

  // Pixels to move a piece of `face` down so its baseline meets the primary face's.
  int baseline_offset(int face, bool bold, int size);

 private:
  int faces() const { return static_cast<int>(fonts_.fallbacks.size()) + 1; }
  bool provides(int face, bool bold, int size, char32_t c);
  int best_face(char32_t c, bool bold, int size, int fallback);

  CardFonts fonts_;
  std::map<std::tuple<int, bool, int>, TTF_Font*> cache_;
  std::map<std::tuple<int, bool, int>, bool> failed_;
};

}  // namespace branchcast
