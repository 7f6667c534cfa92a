#include "common/unicode_script.h"

#include <iterator>

namespace branchcast {
namespace {

struct Block {
  char32_t first;
  char32_t last;
  Script script;
};

// Sorted by first code point, non-overlapping. Code points outside every block are kCommon.
constexpr Block kBlocks[] = {
    {0x0041, 0x005A, Script::kLatin}, {0x0061, 0x007A, Script::kLatin},
    {0x00AA, 0x00AA, Script::kLatin}, {0x00BA, 0x00BA, Script::kLatin},
    {0x00C0, 0x00D6, Script::kLatin}, {0x00D8, 0x00F6, Script::kLatin},
    {0x00F8, 0x024F, Script::kLatin}, {0x0250, 0x02AF, Script::kLatin},
    {0x0370, 0x03FF, Script::kGreek}, {0x0400, 0x052F, Script::kCyrillic},
    {0x0531, 0x058F, Script::kArmenian}, {0x0590, 0x05FF, Script::kHebrew},
    {0x0600, 0x06FF, Script::kArabic}, {0x0700, 0x074F, Script::kOther},
    {0x0750, 0x077F, Script::kArabic}, {0x0780, 0x089F, Script::kOther},
    {0x08A0, 0x08FF, Script::kArabic}, {0x0900, 0x0963, Script::kDevanagari},
    {0x0966, 0x097F, Script::kDevanagari},  // U+0964/0965 (danda) are shared by Indic scripts
    {0x0980, 0x09FF, Script::kBengali}, {0x0A00, 0x0A7F, Script::kGurmukhi},
    {0x0A80, 0x0AFF, Script::kGujarati}, {0x0B00, 0x0B7F, Script::kOriya},
    {0x0B80, 0x0BFF, Script::kTamil}, {0x0C00, 0x0C7F, Script::kTelugu},
    {0x0C80, 0x0CFF, Script::kKannada}, {0x0D00, 0x0D7F, Script::kMalayalam},
    {0x0D80, 0x0DFF, Script::kSinhala}, {0x0E00, 0x0E7F, Script::kThai},
    {0x0E80, 0x0EFF, Script::kLao}, {0x0F00, 0x0FFF, Script::kTibetan},
    {0x1000, 0x109F, Script::kMyanmar}, {0x10A0, 0x10FF, Script::kGeorgian},
    {0x1100, 0x11FF, Script::kHangul}, {0x1200, 0x139F, Script::kEthiopic},
    {0x13A0, 0x177F, Script::kOther}, {0x1780, 0x17FF, Script::kKhmer},
    {0x1800, 0x18FF, Script::kOther}, {0x1C80, 0x1C8F, Script::kCyrillic},
    {0x1C90, 0x1CBF, Script::kGeorgian}, {0x1E00, 0x1EFF, Script::kLatin},
    {0x1F00, 0x1FFF, Script::kGreek}, {0x2C60, 0x2C7F, Script::kLatin},
    {0x2D00, 0x2D2F, Script::kGeorgian}, {0x2D80, 0x2DDF, Script::kEthiopic},
    {0x2DE0, 0x2DFF, Script::kCyrillic}, {0x2E80, 0x2FDF, Script::kHan},
    {0x3005, 0x3005, Script::kHan}, {0x3007, 0x3007, Script::kHan},
    {0x3021, 0x3029, Script::kHan}, {0x3038, 0x303B, Script::kHan},
    {0x3041, 0x309F, Script::kHiragana}, {0x30A0, 0x30FF, Script::kKatakana},
    {0x3131, 0x318F, Script::kHangul}, {0x31F0, 0x31FF, Script::kKatakana},
    {0x3400, 0x4DBF, Script::kHan}, {0x4E00, 0x9FFF, Script::kHan},
    {0xA640, 0xA69F, Script::kCyrillic}, {0xA720, 0xA7FF, Script::kLatin},
    {0xA8E0, 0xA8FF, Script::kDevanagari}, {0xA960, 0xA97F, Script::kHangul},
    {0xAB00, 0xAB2F, Script::kEthiopic}, {0xAB30, 0xAB6F, Script::kLatin},
    {0xAC00, 0xD7AF, Script::kHangul}, {0xD7B0, 0xD7FF, Script::kHangul},
    {0xF900, 0xFAFF, Script::kHan}, {0xFB00, 0xFB06, Script::kLatin},
    {0xFB1D, 0xFB4F, Script::kHebrew}, {0xFB50, 0xFDFF, Script::kArabic},
    {0xFE70, 0xFEFF, Script::kArabic}, {0xFF21, 0xFF3A, Script::kLatin},
    {0xFF41, 0xFF5A, Script::kLatin}, {0xFF66, 0xFF9F, Script::kKatakana},
    {0xFFA0, 0xFFDC, Script::kHangul}, {0x1F000, 0x1FAFF, Script::kEmoji},
    {0x20000, 0x3134F, Script::kHan},
};

}  // namespace

Script script_of(char32_t c) {
  // Binary search for the last block starting at or before c.
  auto lo = std::begin(kBlocks), hi = std::end(kBlocks);
  while (lo < hi) {
    auto mid = lo + (hi - lo) / 2;
    if (mid->first <= c) lo = mid + 1;
    else hi = mid;
  }
  if (lo == std::begin(kBlocks)) return Script::kCommon;
  const Block& b = *(lo - 1);
  return c <= b.last ? b.script : Script::kCommon;
}

const char* script_name(Script s) {
  switch (s) {
    case Script::kCommon: return "symbols";
    case Script::kLatin: return "Latin";
    case Script::kGreek: return "Greek";
    case Script::kCyrillic: return "Cyrillic";
    case Script::kArmenian: return "Armenian";
    case Script::kGeorgian: return "Georgian";
    case Script::kHebrew: return "Hebrew";
    case Script::kArabic: return "Arabic";
    case Script::kDevanagari: return "Devanagari";
    case Script::kBengali: return "Bengali";
    case Script::kGurmukhi: return "Gurmukhi";
    case Script::kGujarati: return "Gujarati";
    case Script::kOriya: return "Odia";
    case Script::kTamil: return "Tamil";
    case Script::kTelugu: return "Telugu";
    case Script::kKannada: return "Kannada";
    case Script::kMalayalam: return "Malayalam";
    case Script::kSinhala: return "Sinhala";
    case Script::kThai: return "Thai";
    case Script::kLao: return "Lao";
    case Script::kTibetan: return "Tibetan";
    case Script::kMyanmar: return "Myanmar";
    case Script::kKhmer: return "Khmer";
    case Script::kEthiopic: return "Ethiopic";
    case Script::kHangul: return "Hangul";
    case Script::kHiragana: return "Hiragana";
    case Script::kKatakana: return "Katakana";
    case Script::kHan: return "Han";
    case Script::kEmoji: return "emoji";
    case Script::kOther: return "";
  }
  return "";
}

const char* script_tag(Script s) {
  switch (s) {
    case Script::kCommon: return "Zyyy";
    case Script::kLatin: return "Latn";
    case Script::kGreek: return "Grek";
    case Script::kCyrillic: return "Cyrl";
    case Script::kArmenian: return "Armn";
    case Script::kGeorgian: return "Geor";
    case Script::kHebrew: return "Hebr";
    case Script::kArabic: return "Arab";
    case Script::kDevanagari: return "Deva";
    case Script::kBengali: return "Beng";
    case Script::kGurmukhi: return "Guru";
    case Script::kGujarati: return "Gujr";
    case Script::kOriya: return "Orya";
    case Script::kTamil: return "Taml";
    case Script::kTelugu: return "Telu";
    case Script::kKannada: return "Knda";
    case Script::kMalayalam: return "Mlym";
    case Script::kSinhala: return "Sinh";
    case Script::kThai: return "Thai";
    case Script::kLao: return "Laoo";
    case Script::kTibetan: return "Tibt";
    case Script::kMyanmar: return "Mymr";
    case Script::kKhmer: return "Khmr";
    case Script::kEthiopic: return "Ethi";
    case Script::kHangul: return "Hang";
    case Script::kHiragana: return "Hira";
    case Script::kKatakana: return "Kana";
    case Script::kHan: return "Hani";
    case Script::kEmoji: return "Zyyy";
    case Script::kOther: return "Zzzz";
  }
  return "Zzzz";
}

char32_t next_code_point(std::string_view s, size_t& i) {
  auto lead = static_cast<unsigned char>(s[i]);
  size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t c = n == 1 ? lead : lead & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    c = (c << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kMin[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += n;
  return c;
}

}  // namespace branchcast
