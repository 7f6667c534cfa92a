// libFuzzer target: card text from outside (event titles, notices) through what the card renderer
// does with it, minus the fonts: sanitize, wrap (one pixel per byte), reorder each line (FriBidi).
// Invariants: every line fits, is valid UTF-8, and its visual runs cover it exactly once.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "media/card.h"
#include "media/fribidi_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace branchcast;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const int width = size > 0 ? 8 + data[0] % 64 : 16;
  auto bytes = [](std::string_view s) { return static_cast<int>(s.size()); };
  for (const WrappedLine& line : wrap_text(text, width, 12, bytes)) {
    if (static_cast<int>(line.text.size()) > width) std::abort();
    if (sanitize_utf8(line.text, 1 << 20) != line.text) std::abort();
    (void)paragraph_direction(line.text);
    BidiLine bidi = reorder_line(line.text);
    if (bidi.text != line.text) std::abort();  // a wrapped line is already clean
    std::vector<bool> covered(bidi.text.size(), false);
    for (const VisualRun& run : bidi.runs) {
      if (run.begin >= run.end || run.end > bidi.text.size()) std::abort();
      for (size_t i = run.begin; i < run.end; ++i) {
        if (covered[i]) std::abort();
        covered[i] = true;
      }
    }
    for (bool c : covered)
      if (!c) std::abort();
  }
  BidiLine whole = reorder_line(text, TextDirection::kRightToLeft);  // raw bytes, '\n' and all
  if (whole.text.size() > 4000 || (whole.text.empty() != whole.runs.empty())) std::abort();
  return 0;
}
