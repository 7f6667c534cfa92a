#include "media/sdl_font_chain.h"

#include <SDL2/SDL_ttf.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace branchcast {
namespace {

// Characters that belong to the cluster before them whatever their font: combining marks,
// joiners, variation selectors.
bool joins_previous(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
         (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F) || (c >= 0xFE00 && c <= 0xFE0F) ||
         c == 0x200C || c == 0x200D;
}

// Kana and Han share one piece (one face, one HarfBuzz run): Japanese interleaves them.
Script shaping_script(Script s) {
  return s == Script::kHiragana || s == Script::kKatakana ? Script::kHan : s;
}

}  // namespace

std::vector<FontFace> default_fallback_fonts() {
  const std::string t = "/usr/share/fonts/truetype/";
  return {
      {t + "lohit-devanagari/Lohit-Devanagari.ttf", ""},
      {t + "lohit-bengali/Lohit-Bengali.ttf", ""},
      {t + "lohit-punjabi/Lohit-Gurmukhi.ttf", ""},
      {t + "lohit-gujarati/Lohit-Gujarati.ttf", ""},
      {t + "lohit-oriya/Lohit-Odia.ttf", ""},
      {t + "lohit-tamil/Lohit-Tamil.ttf", ""},
      {t + "lohit-telugu/Lohit-Telugu.ttf", ""},
      {t + "lohit-kannada/Lohit-Kannada.ttf", ""},
      {t + "lohit-malayalam/Lohit-Malayalam.ttf", ""},
      {"/usr/share/fonts/opentype/tlwg/Loma.otf", "/usr/share/fonts/opentype/tlwg/Loma-Bold.otf"},
      {t + "wqy/wqy-microhei.ttc", ""},
  };
}

SdlFontChain::SdlFontChain(CardFonts fonts) : fonts_(std::move(fonts)) {
  if (TTF_Init() != 0) throw std::runtime_error(std::string("SDL_ttf cannot start: ") + TTF_GetError());
}

SdlFontChain::~SdlFontChain() {
  for (auto& [k, f] : cache_) TTF_CloseFont(f);
  TTF_Quit();
}

TTF_Font* SdlFontChain::font(int face, bool bold, int size) {
  if (face < 0 || face >= faces()) return nullptr;
  size = std::clamp(size, 8, 400);
  auto key = std::make_tuple(face, bold, size);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  if (failed_.count(key)) return nullptr;
  std::string path;
  bool synthetic_bold = false;
  if (face == 0) {
    path = bold ? fonts_.bold : fonts_.regular;
  } else {
    const FontFace& f = fonts_.fallbacks[static_cast<size_t>(face - 1)];
    synthetic_bold = bold && f.bold.empty();
    path = bold && !f.bold.empty() ? f.bold : f.regular;
  }
  TTF_Font* f = TTF_OpenFont(path.c_str(), size);
  if (!f) {
    failed_[key] = true;
    return nullptr;
  }
  if (synthetic_bold) TTF_SetFontStyle(f, TTF_STYLE_BOLD);
  cache_[key] = f;
  return f;
}

bool SdlFontChain::provides(int face, bool bold, int size, char32_t c) {
  TTF_Font* f = font(face, bold, size);
  return f && TTF_GlyphIsProvided32(f, static_cast<Uint32>(c)) != 0;
}

int SdlFontChain::best_face(char32_t c, bool bold, int size, int fallback) {
  for (int face = 0; face < faces(); ++face)
    if (provides(face, bold, size, c)) return face;
  return fallback;
}

std::vector<FontRun> SdlFontChain::split(std::string_view text, size_t begin, size_t end, bool bold, int size) {
  std::vector<FontRun> out;
  end = std::min(end, text.size());
  for (size_t i = begin; i < end;) {
    size_t at = i;
    char32_t c = next_code_point(text, i);
    Script s = shaping_script(script_of(c));
    bool neutral = s == Script::kCommon;
    if (!out.empty()) {
      FontRun& cur = out.back();
      bool same_script = neutral || cur.script == Script::kCommon || cur.script == s;
      if ((neutral && joins_previous(c)) ||
          (same_script && (neutral ? provides(cur.face, bold, size, c) : best_face(c, bold, size, cur.face) == cur.face))) {
        if (!neutral && cur.script == Script::kCommon) cur.script = s;
        cur.end = i;
        continue;
      }
    }
    int face = best_face(c, bold, size, out.empty() ? 0 : out.back().face);
    out.push_back({at, i, face, s});
  }
  return out;
}

bool SdlFontChain::can_draw(char32_t c) {
  for (int face = 0; face < faces(); ++face)
    if (provides(face, false, 24, c)) return true;
  return false;
}

std::vector<std::string> SdlFontChain::unusable_files() {
  std::vector<std::string> out;
  std::error_code ec;
  auto check = [&](const std::string& p) {
    if (!p.empty() && !std::filesystem::is_regular_file(p, ec)) out.push_back(p);
  };
  check(fonts_.regular);
  check(fonts_.bold);
  for (const auto& f : fonts_.fallbacks) {
    check(f.regular);
    check(f.bold);
  }
  return out;
}

int SdlFontChain::baseline_offset(int face, bool bold, int size) {
  TTF_Font* p = font(0, bold, size);
  TTF_Font* f = font(face, bold, size);
  if (!p || !f || face == 0) return 0;
  return TTF_FontAscent(p) - TTF_FontAscent(f);
}

}  // namespace branchcast
