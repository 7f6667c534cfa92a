// The SDL2_ttf card renderer, reading back pixels: contrast, text that never overflows, QR codes,
// and right-to-left text reordered (FriBidi), shaped (HarfBuzz) and aligned as a reader expects.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>

#include "common/log.h"
#include "media/sdl_card_renderer.h"
#include "tests/media/card_pixels.h"

namespace branchcast {
namespace {

const std::string kShalomOlam = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD7\xA2\xD7\x95\xD7\x9C\xD7\x9D";  // שלום עולם
const std::string kAlef = "\xD7\x90";
const std::string kLamed = "\xD7\x9C";  // the one Hebrew letter that rises above the others
const std::string kLrm = "\xE2\x80\x8E";   // U+200E LEFT-TO-RIGHT MARK
const std::string kZwnj = "\xE2\x80\x8C";  // U+200C ZERO WIDTH NON-JOINER
const std::string kLam = "\xD9\x84";
const std::string kArabicAlef = "\xD8\xA7";

class CardTest : public ::testing::Test {
 protected:
  NullLogSink sink_;
  SdlCardRenderer cards_{Logger(sink_, "cards")};

  static int margin(const RgbaImage& img) { return std::min(img.width, img.height) * 7 / 100; }
  // Columns [x0, x1) must stay background.
  static bool columns_are_plain(const RgbaImage& img, int x0, int x1) {
    for (int y = 0; y < img.height; ++y)
      for (int x = x0; x < x1; ++x)
        if (is_ink(img, x, y)) return false;
    return true;
  }
  // Columns right of the text area must stay background: nothing overflows.
  static bool right_margin_is_plain(const RgbaImage& img) {
    return columns_are_plain(img, img.width - margin(img) + 2, img.width);
  }
  static bool left_margin_is_plain(const RgbaImage& img) { return columns_are_plain(img, 0, margin(img) - 2); }
  RgbaImage render(const CardContent& card, Size size) {
    FramePtr f = cards_.render(card, size);
    EXPECT_TRUE(f);
    RgbaImage img;
    img.width = f->width;
    img.height = f->height;
    img.pixels.assign(f->planes[0], f->planes[0] + static_cast<size_t>(f->strides[0]) * f->height);
    return img;
  }
  RgbaImage text_card(const std::string& title, Size size = {1280, 720}) {
    CardContent c;
    c.style = CardStyle::kText;
    c.title = title;
    return render(c, size);
  }
};
TEST_F(CardTest, EventCardHasTextInHighContrast) {
  CardContent c;
  c.style = CardStyle::kEvent;
  c.label = "What's on";
  c.title = "Author talk: Ann Cleeves";
  c.when = "Today 18:30 \xC2\xB7 Starts in 12 min";
  c.room = "Room B";
  RgbaImage img = render(c, {1280, 720});
  int white = 0;
  for (size_t i = 0; i < img.pixels.size(); i += 4)
    if (img.pixels[i] > 240 && img.pixels[i + 1] > 240 && img.pixels[i + 2] > 240) ++white;
  EXPECT_GT(white, 2000);  // large white type on a dark background
  auto bg = img.at(1279, 719);
  EXPECT_LT(bg.r + bg.g + bg.b, 150);
  EXPECT_TRUE(right_margin_is_plain(img));
}

TEST_F(CardTest, FiveThousandCharactersAndRtlAreClippedNeverOverflow) {
  CardContent c;
  c.style = CardStyle::kText;
  std::string huge;
  while (huge.size() < 5000) huge += "Supercalifragilisticexpialidocious words ";
  c.title = huge;
  EXPECT_TRUE(right_margin_is_plain(render(c, {1280, 720})));
  c.title = std::string(5000, 'W');  // one unbreakable word
  EXPECT_TRUE(right_margin_is_plain(render(c, {720, 1280})));
  c.title = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD7\xA2\xD7\x95\xD7\x9C\xD7\x9D "
            "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xD8\xA8\xD8\xA7\xD9\x84\xD8\xB9\xD8\xA7\xD9\x84\xD9\x85 ";
  for (int i = 0; i < 6; ++i) c.title += c.title;
  EXPECT_TRUE(right_margin_is_plain(render(c, {1280, 720})));
  c.title = std::string("\xFF\xFE broken \xC3 utf-8 \xE2\x82", 20);
  EXPECT_TRUE(right_margin_is_plain(render(c, {640, 360})));
}

TEST_F(CardTest, NearbyCardDrawsAQrCode) {
  CardContent c;
  c.style = CardStyle::kNearby;
  c.title = "Get reminders";
  c.qr_text = "https://ntfy.example.org/central-entrance";
  RgbaImage img = render(c, {1280, 720});
  int black = 0, white = 0;
  for (int y = 50; y < 450; ++y)
    for (int x = 850; x < 1230; ++x) {
      auto p = img.at(x, y);
      if (p.r < 10 && p.g < 10 && p.b < 10) ++black;
      if (p.r > 245 && p.g > 245 && p.b > 245) ++white;
    }
  EXPECT_GT(black, 5000);
  EXPECT_GT(white, 5000);
}


// ---- right-to-left ----------------------------------------------------------------------------

// The text column of a 1280x720 text card is [50, 1230).
TEST_F(CardTest, RightToLeftLineIsRightAlignedLeftToRightLeftAligned) {
  InkBox rtl = ink_box(text_card(kShalomOlam));
  ASSERT_FALSE(rtl.empty());
  EXPECT_GE(rtl.max_x, 1230 - 12);  // ends at the right edge of the column...
  EXPECT_LT(rtl.max_x, 1230);       // ...not in the margin
  EXPECT_GT(rtl.min_x, 640);        // a short line: nothing on the left half

  InkBox ltr = ink_box(text_card("Hello world"));
  ASSERT_FALSE(ltr.empty());
  EXPECT_GE(ltr.min_x, 50);
  EXPECT_LE(ltr.min_x, 50 + 12);
  EXPECT_LT(ltr.max_x, 640);
}

// Every line of a right-to-left paragraph is right-aligned, even one that starts with a Latin
// word; a left-to-right paragraph after it is left-aligned.
TEST_F(CardTest, AlignmentFollowsEachParagraphsDirection) {
  std::string latin_word(13, 'W');  // wider than half the column, too wide to share a line with שלום עולם
  RgbaImage img = text_card(kShalomOlam + " " + latin_word + "\nOpen today");
  auto bands = ink_bands(img);
  ASSERT_EQ(bands.size(), 3u);
  InkBox hebrew = ink_box(img, bands[0].first, bands[0].second);
  InkBox latin_in_rtl = ink_box(img, bands[1].first, bands[1].second);
  InkBox english = ink_box(img, bands[2].first, bands[2].second);
  EXPECT_GE(hebrew.max_x, 1230 - 12);
  EXPECT_GE(latin_in_rtl.max_x, 1230 - 12);
  EXPECT_GT(latin_in_rtl.min_x, 50 + 12);
  EXPECT_LE(english.min_x, 50 + 12);
  EXPECT_LT(english.max_x, 640);
}

// Hebrew letters are drawn right to left: in "אל" the lamed (tallest) stands on the left.
TEST_F(CardTest, HebrewLettersAreDrawnRightToLeft) {
  auto tallest_is_left = [](const RgbaImage& img) {
    InkBox all = ink_box(img);
    InkBox top = ink_box(img, all.min_y, all.min_y + 3);
    return top.max_x < (all.min_x + all.max_x) / 2;
  };
  EXPECT_TRUE(tallest_is_left(text_card(kAlef + kLamed)));
  EXPECT_FALSE(tallest_is_left(text_card(kLamed + kAlef)));
}

// "(א)" in a right-to-left paragraph is drawn with both brackets mirrored: it looks exactly like
// "(א)" held left-to-right by a leading LRM, and unlike ")א(" (what no mirroring would show).
TEST_F(CardTest, BracketsInRightToLeftTextAreMirrored) {
  RgbaImage rtl = text_card("(" + kAlef + ")");
  RgbaImage ltr_same_glyphs = text_card(kLrm + "(" + kAlef + ")");
  RgbaImage ltr_reversed = text_card(kLrm + ")" + kAlef + "(");
  long same = ink_difference(rtl, ltr_same_glyphs);
  long reversed = ink_difference(rtl, ltr_reversed);
  EXPECT_GT(reversed, 0);
  EXPECT_LT(same * 4, reversed) << "same " << same << " reversed " << reversed;
}

// Arabic is shaped: lam + alef form the lam-alef ligature, much narrower than the two letters
// kept apart by a zero-width non-joiner.
TEST_F(CardTest, ArabicLettersJoinIntoTheLamAlefLigature) {
  InkBox ligature = ink_box(text_card(kLam + kArabicAlef));
  InkBox apart = ink_box(text_card(kLam + kZwnj + kArabicAlef));
  ASSERT_FALSE(ligature.empty());
  ASSERT_FALSE(apart.empty());
  EXPECT_LT(ligature.width() * 10, apart.width() * 8) << ligature.width() << " vs " << apart.width();
}

TEST_F(CardTest, FiveThousandRightToLeftCharactersStayInTheColumn) {
  std::string title;
  while (title.size() < 10000) title += kShalomOlam + " ABC (123) ";  // 5 000+ characters, mixed
  RgbaImage img = text_card(title);
  EXPECT_TRUE(right_margin_is_plain(img));
  EXPECT_TRUE(left_margin_is_plain(img));
  std::string word;
  while (word.size() < 10000) word += kLam + kArabicAlef;  // one 5 000-letter Arabic word
  img = text_card(word, {720, 1280});
  EXPECT_TRUE(right_margin_is_plain(img));
  EXPECT_TRUE(left_margin_is_plain(img));
  EXPECT_FALSE(ink_box(img).empty());
}

}  // namespace
}  // namespace branchcast
