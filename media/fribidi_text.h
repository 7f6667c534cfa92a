// GNU FriBidi adapter: the Unicode Bidirectional Algorithm (UAX #9) for one line of card text.
// It answers what a renderer needs to draw right-to-left and mixed text: the line's directional
// runs in visual order (left to right on screen), each a byte range of the line in logical order
// with its direction and script, so a shaper (SDL2_ttf's HarfBuzz) can shape each run on its own:
// Arabic letters join, and brackets in right-to-left runs are mirrored by the shaper (HarfBuzz
// mirrors characters of an RTL buffer). FriBidi types do not cross this interface.
//
// Pure functions of their input, thread-safe. Input is sanitized (media/card.h sanitize_utf8) and
// capped at 4 000 bytes first, so any bytes are safe and cost is bounded.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace branchcast {

enum class TextDirection { kLeftToRight, kRightToLeft };

// The script a run is shaped with. kOther: everything but Arabic and Hebrew (shaped as before,
// with SDL2_ttf's default script).
enum class TextScript { kOther, kArabic, kHebrew };

struct VisualRun {
  size_t begin = 0;  // byte range [begin, end) of BidiLine::text, characters in logical order
  size_t end = 0;
  TextDirection direction = TextDirection::kLeftToRight;
  TextScript script = TextScript::kOther;
  bool operator==(const VisualRun&) const = default;
};

struct BidiLine {
  std::string text;  // the line as sanitized: valid UTF-8, at most 4 000 bytes
  TextDirection paragraph = TextDirection::kLeftToRight;  // resolved paragraph direction
  std::vector<VisualRun> runs;  // left to right on screen; non-empty ranges covering text once
};

// The direction of the first strong character of `text` (rules P2-P3), or nullopt when it has
// none (digits, punctuation, empty).
std::optional<TextDirection> paragraph_direction(std::string_view text);

// Reorders one line (no '\n') from logical to visual order. `paragraph`: the direction of the
// paragraph the line belongs to; nullopt detects it from the line's first strong character,
// left-to-right when there is none (FRIBIDI_PAR_ON). Trailing spaces take the paragraph direction
// (rule L1). An empty line gives no runs. Should FriBidi fail (out of memory), the whole line is one
// left-to-right run: drawn unordered, never lost.
BidiLine reorder_line(std::string_view line, std::optional<TextDirection> paragraph = std::nullopt);

}  // namespace branchcast
