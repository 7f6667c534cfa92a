// The FriBidi adapter with real FriBidi: known lines and the runs a reader expects, left to right.
#include "media/fribidi_text.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace branchcast {
namespace {

constexpr auto kLtr = TextDirection::kLeftToRight;
constexpr auto kRtl = TextDirection::kRightToLeft;
constexpr auto kOther = TextScript::kOther;
constexpr auto kHebrew = TextScript::kHebrew;
constexpr auto kArabic = TextScript::kArabic;

const std::string kShalom = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D";         // שלום, 8 bytes
const std::string kSalam = "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85";          // سلام, 8 bytes
const std::string kMarhaba = "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7";  // مرحبا, 10 bytes

// The runs are non-empty and cover every byte of the text exactly once.
void expect_runs_cover(const BidiLine& line) {
  std::vector<std::pair<size_t, size_t>> ranges;
  for (const auto& r : line.runs) {
    EXPECT_LT(r.begin, r.end);
    ranges.emplace_back(r.begin, r.end);
  }
  std::sort(ranges.begin(), ranges.end());
  size_t at = 0;
  for (const auto& [b, e] : ranges) {
    EXPECT_EQ(b, at);
    at = e;
  }
  EXPECT_EQ(at, line.text.size());
}

TEST(ReorderLine, LeftToRightTextIsOneRunUnchanged) {
  BidiLine line = reorder_line("Hello, world 42");
  EXPECT_EQ(line.text, "Hello, world 42");
  EXPECT_EQ(line.paragraph, kLtr);
  EXPECT_EQ(line.runs, (std::vector<VisualRun>{{0, 15, kLtr, kOther}}));
}

// "שלום ABC 123": a Hebrew paragraph; the Latin word and the number read left to right and
// stand to the left of the Hebrew word, which is drawn right to left with its trailing space.
TEST(ReorderLine, HebrewParagraphWithLatinAndDigits) {
  BidiLine line = reorder_line(kShalom + " ABC 123");
  EXPECT_EQ(line.paragraph, kRtl);
  EXPECT_EQ(line.runs, (std::vector<VisualRun>{{9, 16, kLtr, kOther}, {0, 9, kRtl, kHebrew}}));
}

// Digits after Arabic letters are Arabic numbers (rule W2): still read left to right, on the left.
TEST(ReorderLine, ArabicParagraphWithDigits) {
  BidiLine line = reorder_line(kMarhaba + " 2024");
  EXPECT_EQ(line.paragraph, kRtl);
  EXPECT_EQ(line.runs, (std::vector<VisualRun>{{11, 15, kLtr, kOther}, {0, 11, kRtl, kArabic}}));
}

// Hebrew inside a Latin line stays where it was typed, drawn right to left.
TEST(ReorderLine, HebrewWordInsideLatinLine) {
  BidiLine line = reorder_line("ABC (" + kShalom + ") def");
  EXPECT_EQ(line.paragraph, kLtr);
  EXPECT_EQ(line.runs, (std::vector<VisualRun>{{0, 5, kLtr, kOther}, {5, 13, kRtl, kHebrew}, {13, 18, kLtr, kOther}}));
}

// "שלום (ABC) DEF": the bracket pair takes the Hebrew direction (rule N0, FriBidi's bracket
// types), so both brackets sit in right-to-left runs, which the shaper mirrors: a reader sees
// "DEF (ABC) םולש". Without N0 the ')' would join "ABC) DEF" unmirrored.
TEST(ReorderLine, BracketPairInRightToLeftParagraphIsMirroredWithIt) {
  BidiLine line = reorder_line(kShalom + " (ABC) DEF");
  EXPECT_EQ(line.paragraph, kRtl);
  EXPECT_EQ(line.runs, (std::vector<VisualRun>{{15, 18, kLtr, kOther},
                                               {13, 15, kRtl, kOther},  // ") " drawn as " ("
                                               {10, 13, kLtr, kOther},
                                               {0, 10, kRtl, kHebrew}}));  // "שלום (" drawn as ") םולש"
}

// A right-to-left run mixing Hebrew and Arabic is split per script, still right to left.
TEST(ReorderLine, RightToLeftRunIsSplitPerScript) {
  BidiLine line = reorder_line(kShalom + " " + kSalam);
  EXPECT_EQ(line.runs, (std::vector<VisualRun>{{9, 17, kRtl, kArabic}, {0, 9, kRtl, kHebrew}}));
}

TEST(ReorderLine, GivenParagraphDirectionWins) {
  BidiLine line = reorder_line("ABC", kRtl);
  EXPECT_EQ(line.paragraph, kRtl);
  EXPECT_EQ(line.runs, (std::vector<VisualRun>{{0, 3, kLtr, kOther}}));
  EXPECT_EQ(reorder_line("123 !").paragraph, kLtr);  // no strong character: left to right
}

TEST(ReorderLine, EmptyAndBrokenUtf8) {
  BidiLine empty = reorder_line("");
  EXPECT_TRUE(empty.text.empty());
  EXPECT_TRUE(empty.runs.empty());
  EXPECT_EQ(reorder_line("", kRtl).paragraph, kRtl);

  // Invalid bytes become U+FFFD (neutral), so the line is one Hebrew run over the sanitized text.
  BidiLine broken = reorder_line("\xFF\xD7\x90\xC3");
  EXPECT_EQ(broken.text, "\xEF\xBF\xBD\xD7\x90\xEF\xBF\xBD");
  EXPECT_EQ(broken.paragraph, kRtl);
  EXPECT_EQ(broken.runs, (std::vector<VisualRun>{{0, 8, kRtl, kHebrew}}));

  // Truncated and out-of-range sequences, surrogates, NUL and control characters.
  std::string nasty("\xF4\x90\x80\x80 \xED\xA0\x80 \xC0\x80 \0\x01\x1B[0m \xE2\x80\xAE" "abc", 22);
  BidiLine line = reorder_line(nasty);
  expect_runs_cover(line);
}

TEST(ReorderLine, FiveThousandCharactersAreCappedAndBounded) {
  std::string hebrew;
  while (hebrew.size() < 10000) hebrew += kShalom + " ABC 12 ";
  // Bounded by the cap, not checked on a stopwatch (no unit test asserts on wall-clock time: CI
  // machines are busy); the card_text fuzz target feeds it arbitrary long lines.
  BidiLine line = reorder_line(hebrew);
  EXPECT_LE(line.text.size(), 4000u);
  EXPECT_EQ(line.text, hebrew.substr(0, line.text.size()));
  EXPECT_EQ(line.paragraph, kRtl);
  expect_runs_cover(line);
  EXPECT_GT(line.runs.size(), 100u);
}

TEST(ParagraphDirection, FirstStrongCharacter) {
  EXPECT_EQ(paragraph_direction("123 " + kShalom + " abc"), kRtl);
  EXPECT_EQ(paragraph_direction("(abc) " + kShalom), kLtr);
  EXPECT_EQ(paragraph_direction(kMarhaba), kRtl);
  EXPECT_EQ(paragraph_direction("42 - !"), std::nullopt);
  EXPECT_EQ(paragraph_direction(""), std::nullopt);
}

}  // namespace
}  // namespace branchcast
