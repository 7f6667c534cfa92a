// Cards draw every script a community reads: each script's letters come from a card face (the
// primary DejaVu Sans or a fallback), never as the .notdef box, and every line stays inside the
// card's margins, landscape and portrait, regular and bold.
#include <gtest/gtest.h>

#include <cstring>

#include "common/log.h"
#include "common/unicode_script.h"
#include "media/sdl_card_renderer.h"
#include "tests/media/card_pixels.h"

namespace branchcast {
namespace {

struct Sample {
  const char* script;
  const char* text;  // "library" or a phrase, in that script
};

const Sample kSamples[] = {
    {"Latin", "Library \xC3\x89t\xC3\xA9 \xC5\x81\xC3\xB3" "d\xC5\xBA"},  // Library Été Łódź
    {"Greek", "\xCE\x92\xCE\xB9\xCE\xB2\xCE\xBB\xCE\xB9\xCE\xBF\xCE\xB8\xCE\xAE\xCE\xBA\xCE\xB7"},
    {"Cyrillic", "\xD0\x91\xD0\xB8\xD0\xB1\xD0\xBB\xD0\xB8\xD0\xBE\xD1\x82\xD0\xB5\xD0\xBA\xD0\xB0"},
    {"Arabic", "\xD9\x85\xD9\x83\xD8\xAA\xD8\xA8\xD8\xA9"},
    {"Hebrew", "\xD7\xA1\xD7\xA4\xD7\xA8\xD7\x99\xD7\x99\xD7\x94"},
    {"Devanagari", "\xE0\xA4\xAA\xE0\xA5\x81\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4\xE0\xA4\x95\xE0\xA4\xBE\xE0\xA4\xB2\xE0\xA4\xAF"},
    {"Bengali", "\xE0\xA6\x97\xE0\xA7\x8D\xE0\xA6\xB0\xE0\xA6\xA8\xE0\xA7\x8D\xE0\xA6\xA5\xE0\xA6\xBE\xE0\xA6\x97\xE0\xA6\xBE\xE0\xA6\xB0"},
    {"Gurmukhi", "\xE0\xA8\xB2\xE0\xA8\xBE\xE0\xA8\x87\xE0\xA8\xAC\xE0\xA8\xB0\xE0\xA9\x87\xE0\xA8\xB0\xE0\xA9\x80"},
    {"Gujarati", "\xE0\xAA\xAA\xE0\xAB\x81\xE0\xAA\xB8\xE0\xAB\x8D\xE0\xAA\xA4\xE0\xAA\x95\xE0\xAA\xBE\xE0\xAA\xB2\xE0\xAA\xAF"},
    {"Odia", "\xE0\xAC\xAA\xE0\xAC\xBE\xE0\xAC\xA0\xE0\xAC\xBE\xE0\xAC\x97\xE0\xAC\xBE\xE0\xAC\xB0"},
    {"Tamil", "\xE0\xAE\xA8\xE0\xAF\x82\xE0\xAE\xB2\xE0\xAE\x95\xE0\xAE\xAE\xE0\xAF\x8D"},
    {"Telugu", "\xE0\xB0\x97\xE0\xB1\x8D\xE0\xB0\xB0\xE0\xB0\x82\xE0\xB0\xA5\xE0\xB0\xBE\xE0\xB0\xB2\xE0\xB0\xAF\xE0\xB0\x82"},
    {"Kannada", "\xE0\xB2\x97\xE0\xB3\x8D\xE0\xB2\xB0\xE0\xB2\x82\xE0\xB2\xA5\xE0\xB2\xBE\xE0\xB2\xB2\xE0\xB2\xAF"},
    {"Malayalam", "\xE0\xB4\x97\xE0\xB5\x8D\xE0\xB4\xB0\xE0\xB4\xA8\xE0\xB5\x8D\xE0\xB4\xA5\xE0\xB4\xB6\xE0\xB4\xBE\xE0\xB4\xB2"},
    {"Thai", "\xE0\xB8\xAB\xE0\xB9\x89\xE0\xB8\xAD\xE0\xB8\x87\xE0\xB8\xAA\xE0\xB8\xA1\xE0\xB8\xB8\xE0\xB8\x94"},
    {"Han", "\xE5\x9B\xBE\xE4\xB9\xA6\xE9\xA6\x86"},                                 // 图书馆
    {"Hiragana", "\xE3\x81\xA8\xE3\x81\x97\xE3\x82\x87\xE3\x81\x8B\xE3\x82\x93"},  // としょかん
    {"Katakana", "\xE3\x83\xA9\xE3\x82\xA4\xE3\x83\x96\xE3\x83\xA9\xE3\x83\xAA"},  // ライブラリ
    {"Hangul", "\xEB\x8F\x84\xEC\x84\x9C\xEA\xB4\x80"},                            // 도서관
};

const std::string kNoGlyph = "\xF3\xB0\x80\x80";  // U+F0000, private use: no card face has it

// The letters (not marks) of a sample, one string each.
std::vector<std::string> letters(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    size_t at = i;
    char32_t c = next_code_point(text, i);
    Script s = script_of(c);
    bool mark = (c >= 0x0900 && c <= 0x0DFF && ((c & 0x7F) >= 0x3E || (c & 0x7F) <= 0x03)) ||
                (c >= 0x0E31 && c <= 0x0E4E && c != 0x0E32 && c != 0x0E33) || c == 0x0E31;
    if (s != Script::kCommon && !mark) out.push_back(text.substr(at, i - at));
  }
  return out;
}

class CardFontsTest : public ::testing::Test {
 protected:
  NullLogSink sink_;
  SdlCardRenderer cards_{Logger(sink_, "cards")};

  RgbaImage render(const CardContent& card, Size size) {
    FramePtr f = cards_.render(card, size);
    EXPECT_TRUE(f);
    RgbaImage img;
    if (!f) return img;
    img.width = f->width;
    img.height = f->height;
    img.pixels.assign(f->planes[0], f->planes[0] + static_cast<size_t>(f->strides[0]) * f->height);
    return img;
  }
  RgbaImage text_card(const std::string& title, Size size = {640, 360}) {
    CardContent c;
    c.style = CardStyle::kText;
    c.title = title;
    return render(c, size);
  }
  // Rows and columns within the card's margin (less 2 px of antialiasing) hold no ink.
  static void expect_inside_margins(const RgbaImage& img, const std::string& what) {
    int m = std::min(img.width, img.height) * 7 / 100 - 2;
    InkBox box = ink_box(img);
    ASSERT_FALSE(box.empty()) << what;
    EXPECT_GE(box.min_x, m) << what;
    EXPECT_GE(box.min_y, m) << what;
    EXPECT_LT(box.max_x, img.width - m) << what;
    EXPECT_LT(box.max_y, img.height - m) << what;
  }
};

TEST_F(CardFontsTest, EveryLetterOfEveryScriptHasAGlyph) {
  for (const Sample& s : kSamples)
    for (size_t i = 0; i < std::string(s.text).size();) {
      char32_t c = next_code_point(s.text, i);
      EXPECT_TRUE(cards_.can_draw(c)) << s.script << " U+" << std::hex << static_cast<uint32_t>(c);
    }
  EXPECT_FALSE(cards_.can_draw(0xF0000));
}

// Each letter drawn alone looks unlike the .notdef box a missing glyph draws.
TEST_F(CardFontsTest, NoLetterIsDrawnAsTheNotdefBox) {
  RgbaImage box = text_card(kNoGlyph);
  ASSERT_FALSE(ink_box(box).empty());
  long box_vs_box = ink_difference(box, text_card(kNoGlyph));
  EXPECT_EQ(box_vs_box, 0);
  long box_ink = 0;  // the box's own ink against the background
  InkBox b = ink_box(box);
  for (int y = b.min_y; y <= b.max_y; ++y)
    for (int x = b.min_x; x <= b.max_x; ++x) {
      auto p = box.at(x, y);
      auto bg = box.at(box.width - 1, 0);
      box_ink += std::abs(p.r - bg.r) + std::abs(p.g - bg.g) + std::abs(p.b - bg.b);
    }
  for (const Sample& s : kSamples)
    for (const std::string& letter : letters(s.text)) {
      RgbaImage img = text_card(letter);
      ASSERT_FALSE(ink_box(img).empty()) << s.script << " " << letter;
      EXPECT_GT(ink_difference(img, box) * 4, box_ink) << s.script << " " << letter << " looks like .notdef";
    }
}

// The check above can see a box: with DejaVu alone, Han is drawn as exactly the .notdef box.
TEST_F(CardFontsTest, WithoutFallbacksHanIsDrawnAsTheNotdefBox) {
  CardFonts dejavu_only;
  dejavu_only.fallbacks.clear();
  SdlCardRenderer alone(Logger(sink_, "cards"), dejavu_only);
  EXPECT_FALSE(alone.can_draw(0x56FE));
  CardContent c;
  c.style = CardStyle::kText;
  c.title = kNoGlyph;
  FramePtr box = alone.render(c, {640, 360});
  c.title = "\xE5\x9B\xBE";  // 图
  FramePtr han = alone.render(c, {640, 360});
  ASSERT_TRUE(box && han);
  EXPECT_EQ(0, std::memcmp(box->planes[0], han->planes[0], static_cast<size_t>(box->strides[0]) * box->height));
}

TEST_F(CardFontsTest, EveryScriptStaysInsideTheMargins) {
  for (const Sample& s : kSamples) {
    std::string para;
    while (para.size() < 600) para += std::string(s.text) + " ";
    expect_inside_margins(text_card(para, {640, 360}), std::string(s.script) + " landscape");
    expect_inside_margins(text_card(para, {360, 640}), std::string(s.script) + " portrait");
    CardContent event;
    event.style = CardStyle::kEvent;
    event.label = s.text;
    event.title = para;
    event.when = s.text;
    event.room = s.text;
    event.body = para;
    expect_inside_margins(render(event, {640, 360}), std::string(s.script) + " event card");
  }
}

// One line mixing Latin, Han, Devanagari and Arabic is drawn on one baseline band: every piece
// inked, the whole line no taller than two primary lines.
TEST_F(CardFontsTest, MixedScriptsShareOneLine) {
  std::string mixed = std::string("Story ") + kSamples[15].text + " " + kSamples[5].text + " " + kSamples[3].text;
  RgbaImage img = text_card(mixed, {1280, 720});
  auto bands = ink_bands(img);
  ASSERT_EQ(bands.size(), 1u);
  RgbaImage latin = text_card("Story", {1280, 720});
  InkBox l = ink_box(latin);
  InkBox m = ink_box(img);
  EXPECT_LT(m.max_y - m.min_y, 2 * (l.max_y - l.min_y) + 10);
  EXPECT_GT(m.width(), 3 * l.width());
}

}  // namespace
}  // namespace branchcast
