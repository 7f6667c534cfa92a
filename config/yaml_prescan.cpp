// Raw-text checks that run before yaml-cpp sees a byte: yaml-cpp recurses once per nesting level
// (a few thousand "[" overflow the stack under ASan) and gives poor messages for binary data and
// tabs, so those are caught here with a precise line and column.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "config/yaml_reader.h"

namespace branchcast {
namespace {

// Validates UTF-8 and rejects NUL and control bytes. Columns are byte-based, like yaml-cpp's.
bool check_bytes(std::string_view text, Diagnostics& diag) {
  int line = 1, col = 1;
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == 0) {
        diag.add(line, col, "NUL byte in file (this is not a YAML text file)");
        return false;
      }
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "control character 0x%02x in file (this is not a YAML text file)", c);
        diag.add(line, col, buf);
        return false;
      }
      if (c == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07, min = 0x10000;
    bool ok = len != 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    if (!ok) {
      diag.add(line, col, "invalid UTF-8 (the file must be UTF-8 text)");
      return false;
    }
    i += len;
    col += static_cast<int>(len);
  }
  return true;
}

bool may_start_scalar(char prev) {
  return prev == 0 || prev == ':' || prev == '-' || prev == '[' || prev == '{' || prev == ',' ||
         prev == '?';
}

// Tabs in indentation and an upper bound of the nesting depth, line by line. The depth bound is
// conservative: block indentation levels + compact indicators ("- - x", "a: b") + open flow
// brackets, ignoring quoted scalars, comments and block scalar bodies.
bool check_structure(std::string_view text, Diagnostics& diag) {
  std::vector<size_t> indents;
  size_t base = 0;
  int flow = 0;
  char quote = 0;
  int quote_line = 0, quote_col = 0;
  long block_scalar_indent = -1;  // >= 0 while skipping a block scalar's body
  bool fine = true;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    size_t p = 0;
    while (p < line.size() && line[p] == ' ') ++p;
    size_t first = p;
    while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
    bool blank = first == line.size() || line[first] == '#';
    if (block_scalar_indent >= 0) {
      if (blank || static_cast<long>(p) > block_scalar_indent) continue;
      block_scalar_indent = -1;
    }
    if (quote == 0 && p < line.size() && line[p] == '\t' && !blank) {
      diag.add(line_no, static_cast<int>(p) + 1,
               "tab character in indentation (YAML indents with spaces only)");
      fine = false;
      continue;
    }
    if (blank && quote == 0) continue;
    if (quote == 0 && flow == 0) {
      while (!indents.empty() && indents.back() > p) indents.pop_back();
      if (indents.empty() || indents.back() < p) indents.push_back(p);
      base = indents.size();
    }
    size_t extra = 0;
    int max_flow = flow;
    char prev = 0;
    for (size_t i = p; i < line.size(); ++i) {
      char c = line[i];
      if (quote != 0) {
        if (c == quote) {
          if (quote == '\'' && i + 1 < line.size() && line[i + 1] == '\'') ++i;
          else quote = 0;
        } else if (quote == '"' && c == '\\') {
          ++i;
        }
        prev = c;
        continue;
      }
      bool spaced = i + 1 == line.size() || line[i + 1] == ' ';
      if (c == ' ') continue;
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;
      if ((c == '"' || c == '\'') && may_start_scalar(prev)) {
        quote = c;
        quote_line = line_no;
        quote_col = static_cast<int>(i) + 1;
      } else if (c == '[' || c == '{') {
        max_flow = std::max(max_flow, ++flow);
      } else if (c == ']' || c == '}') {
        if (flow > 0) --flow;
      } else if ((c == '-' || c == '?' || c == ':') && spaced) {
        ++extra;
      } else if ((c == '|' || c == '>') && flow == 0 && (prev == ':' || prev == '-' || prev == 0)) {
        // A block scalar header ("|", ">-", "|2"): the more-indented lines below are its body.
        size_t j = i + 1;
        while (j < line.size() && (line[j] == '-' || line[j] == '+' || (line[j] >= '1' && line[j] <= '9'))) ++j;
        while (j < line.size() && line[j] == ' ') ++j;
        if (j == line.size() || line[j] == '#') {
          block_scalar_indent = static_cast<long>(p);
          break;
        }
      }
      prev = c;
    }
    size_t depth = base + extra + static_cast<size_t>(max_flow);
    if (depth > static_cast<size_t>(kMaxYamlDepth)) {
      diag.add(line_no, 1,
               "nesting is too deep (more than " + std::to_string(kMaxYamlDepth) + " levels)");
      return false;
    }
  }
  if (quote != 0) {
    // yaml-cpp silently accepts a quoted scalar that runs to the end of the file.
    diag.add(quote_line, quote_col, "unterminated quoted string (this quote is never closed)");
    return false;
  }
  return fine;
}

}  // namespace

bool prescan_yaml(std::string_view text, Diagnostics& diag) {
  if (text.size() > kMaxYamlFileBytes) {
    diag.add(1, 1, "file is too large (" + std::to_string(text.size()) + " bytes; the limit is " +
                       std::to_string(kMaxYamlFileBytes / (1024 * 1024)) + " MiB)");
    return false;
  }
  return check_bytes(text, diag) && check_structure(text, diag);
}

}  // namespace branchcast
