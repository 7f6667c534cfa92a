// Which writing system a character belongs to, by Unicode block: enough to pick a card font for a
// run of text (media/sdl_card_renderer), to tell HarfBuzz the run's script, and to name the script
// in a `validate` warning ("Han"). Pure, thread-safe, no tables outside this file.
#pragma once

#include <cstddef>
#include <string_view>

namespace branchcast {

enum class Script {
  kCommon,     // spaces, digits, punctuation, symbols, combining marks: belong to their neighbours
  kLatin, kGreek, kCyrillic, kArmenian, kGeorgian, kHebrew, kArabic,
  kDevanagari, kBengali, kGurmukhi, kGujarati, kOriya, kTamil, kTelugu, kKannada, kMalayalam,
  kSinhala, kThai, kLao, kTibetan, kMyanmar, kKhmer, kEthiopic,
  kHangul, kHiragana, kKatakana, kHan,
  kEmoji,      // pictographs (U+1F000-U+1FAFF and friends)
  kOther,      // a letter of a script not named above
};

// The script of code point `c` (a Unicode scalar value; anything else is kCommon).
Script script_of(char32_t c);

// The script's English name as staff know it ("Han", "Devanagari", "Latin"); "symbols" for
// kCommon, "emoji" for kEmoji, "" for kOther.
const char* script_name(Script s);

// The ISO 15924 tag HarfBuzz takes ("Hani", "Deva"); "Zyyy" for kCommon, "Zzzz" for kOther.
const char* script_tag(Script s);

// Decodes the UTF-8 character at text[i] and advances i past it. Malformed or truncated
// sequences, surrogates and values above U+10FFFF give U+FFFD and advance one byte.
// Precondition: i < text.size().
char32_t next_code_point(std::string_view text, size_t& i);

}  // namespace branchcast
