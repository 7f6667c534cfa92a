// Bringing outside bytes to valid UTF-8. Pure (iconv is used in-process), thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace branchcast {

struct Utf8Text {
  std::string text;     // valid UTF-8, byte-order mark removed
  size_t repaired = 0;  // bytes that were not valid UTF-8 and were decoded as Windows-1252
};

// Converts `bytes` to UTF-8. A byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins; else a
// non-empty `declared` charset (HTTP Content-Type, a CHARSET parameter) is converted with iconv;
// else the bytes are taken as UTF-8 and every byte that is not part of a valid UTF-8 sequence is
// repaired by decoding it as Windows-1252 (the usual culprit), counted in `repaired`.
// Fails, naming `source` and the byte offset, on a NUL byte, an unknown charset or bytes invalid
// in the declared charset.
Result<Utf8Text> to_utf8(std::string_view bytes, std::string_view declared, const std::string& source);

// True when `s` is entirely valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Appends the UTF-8 encoding of code point `cp` (invalid code points become U+FFFD).
void append_utf8(std::string& out, char32_t cp);

}  // namespace branchcast
