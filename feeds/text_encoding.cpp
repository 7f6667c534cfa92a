#include "feeds/text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/strings.h"

namespace branchcast {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not valid.
size_t utf8_sequence(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  size_t n = 0;
  char32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

// Windows-1252 0x80..0x9F (0 = undefined there; decoded as U+FFFD).
constexpr char32_t kCp1252High[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

Result<std::string> iconv_to_utf8(std::string_view bytes, const std::string& from,
                                  const std::string& source) {
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1))
    return make_error(source + ": unknown character encoding '" + from + "'");
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  size_t done = 0;
  while (in_left > 0) {
    char* out_ptr = out.data() + done;
    size_t out_left = out.size() - done;
    size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    done = out.size() - out_left;
    if (rc != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    size_t offset = bytes.size() - in_left;
    iconv_close(cd);
    return make_error(source + ": byte offset " + std::to_string(offset) + ": not valid " + from +
                      (errno == EINVAL ? " (truncated character at the end)" : ""));
  }
  iconv_close(cd);
  out.resize(done);
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

Result<Utf8Text> to_utf8(std::string_view bytes, std::string_view declared, const std::string& source) {
  auto has_prefix = [&](std::string_view p) { return bytes.substr(0, p.size()) == p; };
  std::string charset = to_lower(trim(declared));
  if (has_prefix(std::string_view("\x00\x00\xFE\xFF", 4))) charset = "utf-32be";
  else if (has_prefix(std::string_view("\xFF\xFE\x00\x00", 4))) charset = "utf-32le";
  else if (has_prefix("\xFE\xFF")) charset = "utf-16be";
  else if (has_prefix("\xFF\xFE")) charset = "utf-16le";
  else if (has_prefix("\xEF\xBB\xBF")) { bytes.remove_prefix(3); charset = "utf-8"; }

  Utf8Text out;
  if (!charset.empty() && charset != "utf-8" && charset != "utf8" && charset != "us-ascii") {
    if (starts_with(charset, "utf-16") || starts_with(charset, "utf-32")) {
      size_t bom = starts_with(charset, "utf-16") ? 2 : 4;
      if (has_prefix(std::string_view("\xFF\xFE", 2)) || has_prefix("\xFE\xFF") ||
          has_prefix(std::string_view("\x00\x00\xFE\xFF", 4)))
        bytes.remove_prefix(bom);
    }
    auto converted = iconv_to_utf8(bytes, charset, source);
    if (!converted) return converted.error();
    out.text = std::move(*converted);
    if (auto nul = out.text.find('\0'); nul != std::string::npos)
      return make_error(source + ": NUL character in text (after conversion from " + charset + ")");
    return out;
  }
  out.text.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    if (bytes[i] == '\0')
      return make_error(source + ": byte offset " + std::to_string(i) +
                        ": NUL byte (binary data or an undeclared UTF-16 file)");
    size_t n = utf8_sequence(bytes, i);
    if (n > 0) {
      out.text.append(bytes.data() + i, n);
      i += n;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    char32_t cp = c >= 0xA0 ? c : kCp1252High[c - 0x80];
    append_utf8(out.text, cp == 0 ? 0xFFFD : cp);
    ++out.repaired;
    ++i;
  }
  return out;
}

}  // namespace branchcast

namespace branchcast {
namespace {

// WHATWG label aliases that matter for feeds.
std::string canonical_charset(std::string_view label) {
  std::string l = to_lower(trim(label));
  if (l.size() >= 2 && (l.front() == '"' || l.front() == '\'')) l = l.substr(1, l.size() - 2);
  if (l == "utf8" || l == "unicode-1-1-utf-8") return "utf-8";
  if (l == "iso-8859-1" || l == "iso8859-1" || l == "latin1" || l == "l1" || l == "us-ascii" ||
      l == "ascii" || l == "cp1252" || l == "x-cp1252" || l == "iso_8859-1" || l == "cp819")
    return "windows-1252";
  return l;
}

// The encoding="..." of an XML declaration at the very start, or "".
std::string xml_declared_encoding(std::string_view bytes) {
  if (bytes.substr(0, 5) != "<?xml") return "";
  size_t end = bytes.find("?>");
  if (end == std::string_view::npos || end > 512) return "";
  std::string_view decl = bytes.substr(0, end);
  size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return "";
  size_t q = decl.find_first_of("\"'", at);
  if (q == std::string_view::npos) return "";
  size_t q2 = decl.find(decl[q], q + 1);
  if (q2 == std::string_view::npos) return "";
  return std::string(decl.substr(q + 1, q2 - q - 1));
}

std::string windows_1252(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (unsigned char c : bytes) {
    if (c < 0x80) out += static_cast<char>(c);
    else append_utf8(out, c >= 0xA0 ? c : (kCp1252High[c - 0x80] ? kCp1252High[c - 0x80] : 0xFFFD));
  }
  return out;
}

}  // namespace

Result<XmlText> xml_to_utf8(std::string_view bytes, std::string_view http_charset, const std::string& source) {
  auto has_prefix = [&](std::string_view p) { return bytes.substr(0, p.size()) == p; };
  XmlText out;
  std::string wide;
  if (has_prefix(std::string_view("\x00\x00\xFE\xFF", 4)) || has_prefix(std::string_view("\x00\x00\x00<", 4))) wide = "utf-32be";
  else if (has_prefix(std::string_view("\xFF\xFE\x00\x00", 4)) || has_prefix(std::string_view("<\x00\x00\x00", 4))) wide = "utf-32le";
  else if (has_prefix("\xFE\xFF") || has_prefix(std::string_view("\x00<\x00?", 4))) wide = "utf-16be";
  else if (has_prefix("\xFF\xFE") || has_prefix(std::string_view("<\x00?\x00", 4))) wide = "utf-16le";
  if (!wide.empty()) {
    auto u = to_utf8(bytes, wide, source);  // removes the mark itself
    if (!u) return u.error();
    out.text = std::move(u->text);
    out.encoding = wide;
    return out;
  }
  if (has_prefix("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    out.encoding = "utf-8";
  }
  if (auto nul = bytes.find('\0'); nul != std::string_view::npos)
    return make_error(source + ": byte offset " + std::to_string(nul) +
                      ": NUL byte (binary data or an undeclared UTF-16 file)");
  std::vector<std::string> candidates;
  if (!out.encoding.empty()) candidates.push_back(out.encoding);
  const std::string in_document = xml_declared_encoding(bytes);
  for (std::string_view declared : {std::string_view(in_document), http_charset}) {
    std::string c = canonical_charset(declared);
    if (!c.empty() && (starts_with(c, "utf-16") || starts_with(c, "utf-32"))) c = "utf-8";  // no mark: not really
    if (!c.empty()) candidates.push_back(c);
  }
  candidates.push_back("utf-8");
  for (const std::string& c : candidates) {
    if (c == "utf-8") {
      if (!is_valid_utf8(bytes)) {
        if (out.note.empty()) out.note = "not valid UTF-8";
        continue;
      }
      out.text = std::string(bytes);
    } else if (c == "windows-1252") {
      out.text = windows_1252(bytes);
    } else {
      auto converted = iconv_to_utf8(bytes, c, source);
      if (!converted || converted->find('\0') != std::string::npos) {
        if (out.note.empty())
          out.note = converted ? "NUL after conversion from " + c : converted.error().message.substr(source.size() + 2);
        continue;
      }
      out.text = std::move(*converted);
    }
    out.encoding = c;
    return out;
  }
  out.text = windows_1252(bytes);
  out.encoding = "windows-1252";
  out.note += "; read as Windows-1252";
  return out;
}

}  // namespace branchcast
