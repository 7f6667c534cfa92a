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

// Converts an XML document to UTF-8 the way browsers and feedparser do: a byte-order mark (or the
// UTF-16/32 pattern of "<?xml" without one) wins, then the XML declaration's encoding, then
// `http_charset` (Content-Type), then UTF-8 when the bytes are valid UTF-8, else Windows-1252.
// A declared encoding the bytes are not valid in is skipped for the next candidate (one warning
// in `note`). ISO-8859-1, Latin-1 and US-ASCII labels mean Windows-1252 (WHATWG Encoding). The
// returned text still has its XML declaration: parse it with the encoding forced to UTF-8.
// Fails (one line, naming `source`) only on NUL bytes in a document without a UTF-16/32 mark.
struct XmlText {
  std::string text;
  std::string encoding;  // what was used, lower-case ("utf-8", "windows-1252", "utf-16le", ...)
  std::string note;      // "" or why a declared encoding was not used
};
Result<XmlText> xml_to_utf8(std::string_view bytes, std::string_view http_charset, const std::string& source);

// True when `s` is entirely valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Appends the UTF-8 encoding of code point `cp` (invalid code points become U+FFFD).
void append_utf8(std::string& out, char32_t cp);

}  // namespace branchcast
