#include "media/fribidi_text.h"

#include <fribidi.h>

#include <numeric>

#include "media/card.h"

namespace branchcast {
namespace {

constexpr size_t kMaxLineBytes = 4000;

// A sanitized line as code points, with the byte offset where each starts (plus one past the end).
struct CodePoints {
  std::vector<FriBidiChar> chars;
  std::vector<size_t> offsets;
};

// `text` is sanitize_utf8 output: every sequence is well-formed in shape; code points that are
// still not Unicode scalar values (surrogates, overlongs past U+10FFFF) become U+FFFD.
CodePoints decode(const std::string& text) {
  CodePoints cp;
  for (size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    n = std::min(n, text.size() - i);
    FriBidiChar c = n == 1 ? lead : lead & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
    cp.chars.push_back(c);
    cp.offsets.push_back(i);
    i += n;
  }
  cp.offsets.push_back(text.size());
  return cp;
}

std::vector<FriBidiCharType> bidi_types(const CodePoints& cp) {
  std::vector<FriBidiCharType> types(cp.chars.size());
  fribidi_get_bidi_types(cp.chars.data(), static_cast<FriBidiStrIndex>(cp.chars.size()), types.data());
  return types;
}

// The script of a character for shaping; nullopt for characters that belong to their neighbours
// (spaces, punctuation, European digits, marks outside the Arabic and Hebrew blocks).
std::optional<TextScript> script_of(FriBidiChar c, FriBidiCharType type) {
  if ((c >= 0x0590 && c <= 0x05FF) || (c >= 0xFB1D && c <= 0xFB4F)) return TextScript::kHebrew;
  if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF) ||
      (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF))
    return TextScript::kArabic;
  if (FRIBIDI_IS_STRONG(type)) return TextScript::kOther;
  return std::nullopt;
}

// Splits the logical characters [first, last] of one directional run where the script changes,
// and appends the pieces in visual order (right to left for an RTL run).
void append_script_runs(const CodePoints& cp, const std::vector<FriBidiCharType>& types, size_t first,
                        size_t last, TextDirection direction, std::vector<VisualRun>& out) {
  std::vector<VisualRun> pieces;
  std::optional<TextScript> current;
  size_t start = first;
  for (size_t i = first; i <= last; ++i) {
    auto s = script_of(cp.chars[i], types[i]);
    if (!s || s == current) continue;
    if (current) {
      pieces.push_back({cp.offsets[start], cp.offsets[i], direction, *current});
      start = i;
    }
    current = s;
  }
  pieces.push_back({cp.offsets[start], cp.offsets[last + 1], direction, current.value_or(TextScript::kOther)});
  if (direction == TextDirection::kRightToLeft) out.insert(out.end(), pieces.rbegin(), pieces.rend());
  else out.insert(out.end(), pieces.begin(), pieces.end());
}

TextDirection direction_of(FriBidiParType t) {
  return FRIBIDI_IS_RTL(t) ? TextDirection::kRightToLeft : TextDirection::kLeftToRight;
}

}  // namespace

std::optional<TextDirection> paragraph_direction(std::string_view text) {
  CodePoints cp = decode(sanitize_utf8(text, kMaxLineBytes));
  auto types = bidi_types(cp);
  FriBidiParType t = fribidi_get_par_direction(types.data(), static_cast<FriBidiStrIndex>(types.size()));
  if (t == FRIBIDI_PAR_ON) return std::nullopt;
  return direction_of(t);
}

BidiLine reorder_line(std::string_view line, std::optional<TextDirection> paragraph) {
  BidiLine out;
  out.text = sanitize_utf8(line, kMaxLineBytes);
  CodePoints cp = decode(out.text);
  const auto n = static_cast<FriBidiStrIndex>(cp.chars.size());
  FriBidiParType base = !paragraph ? FRIBIDI_PAR_ON
                        : *paragraph == TextDirection::kRightToLeft ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
  if (n == 0) {
    out.paragraph = paragraph.value_or(TextDirection::kLeftToRight);
    return out;
  }
  auto types = bidi_types(cp);
  std::vector<FriBidiBracketType> brackets(cp.chars.size());
  fribidi_get_bracket_types(cp.chars.data(), n, types.data(), brackets.data());
  std::vector<FriBidiLevel> levels(cp.chars.size());
  std::vector<FriBidiStrIndex> visual_to_logical(cp.chars.size());
  std::iota(visual_to_logical.begin(), visual_to_logical.end(), 0);
  // No FRIBIDI_FLAG_REORDER_NSM: marks stay after their base in logical order, as the shaper wants.
  if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), n, &base, levels.data()) == 0 ||
      fribidi_reorder_line(0, types.data(), n, 0, base, levels.data(), nullptr, visual_to_logical.data()) == 0) {
    out.paragraph = paragraph.value_or(TextDirection::kLeftToRight);
    out.runs.push_back({0, out.text.size(), TextDirection::kLeftToRight, TextScript::kOther});
    return out;
  }
  out.paragraph = direction_of(base);

  // Visual positions whose characters are logically adjacent in reading order, at levels of the
  // same parity, form one directional run: [first, last] in logical indices.
  size_t first = 0, last = 0;
  bool rtl = false;
  for (FriBidiStrIndex v = 0; v < n; ++v) {
    auto l = static_cast<size_t>(visual_to_logical[v]);
    bool l_rtl = FRIBIDI_LEVEL_IS_RTL(levels[l]);
    if (v > 0 && l_rtl == rtl && (rtl ? l + 1 == first : l == last + 1)) {
      (rtl ? first : last) = l;
      continue;
    }
    if (v > 0)
      append_script_runs(cp, types, first, last, rtl ? TextDirection::kRightToLeft : TextDirection::kLeftToRight,
                         out.runs);
    first = last = l;
    rtl = l_rtl;
  }
  append_script_runs(cp, types, first, last, rtl ? TextDirection::kRightToLeft : TextDirection::kLeftToRight,
                     out.runs);
  return out;
}

}  // namespace branchcast
