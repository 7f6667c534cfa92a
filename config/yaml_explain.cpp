// Staff-word explanations of YAML syntax errors (yaml_reader.h explain_yaml_error): yaml-cpp says
// "illegal map value" or "end of map not found"; these heuristics look at the raw lines for the
// three mistakes people make by hand and name the line to fix.
#include <optional>
#include <string>
#include <vector>

#include "config/yaml_reader.h"

namespace branchcast {
namespace {

struct Line {
  int number;          // 1-based
  int indent;          // leading spaces
  std::string text;    // without the leading spaces and without a trailing comment / CR
};

std::string strip_comment(const std::string& s) {
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      if (i == 0 || s[i - 1] == ' ' || s[i - 1] == ':' || s[i - 1] == '-' || s[i - 1] == '[' || s[i - 1] == '{' || s[i - 1] == ',')
        quote = c;
    } else if (c == '#' && (i == 0 || s[i - 1] == ' ')) {
      return s.substr(0, i);
    }
  }
  return s;
}

std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> out;
  int number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string raw(text.substr(pos, end - pos));
    ++number;
    pos = end + 1;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    size_t ind = raw.find_first_not_of(' ');
    if (ind == std::string::npos) continue;
    std::string body = strip_comment(raw.substr(ind));
    while (!body.empty() && body.back() == ' ') body.pop_back();
    if (body.empty()) continue;
    out.push_back({number, static_cast<int>(ind), body});
    if (end == text.size()) break;
  }
  return out;
}

bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// The line's content after a list dash ("- "), and its column offset.
std::string_view after_dash(const std::string& s, size_t& offset) {
  offset = 0;
  while (offset + 1 < s.size() && s[offset] == '-' && s[offset + 1] == ' ') {
    offset += 2;
    while (offset < s.size() && s[offset] == ' ') ++offset;
  }
  return std::string_view(s).substr(offset);
}

// "priority:15": a key directly followed by ':' and a value with no space between.
std::optional<std::string> missing_space(const Line& l) {
  size_t off;
  std::string_view s = after_dash(l.text, off);
  size_t k = 0;
  while (k < s.size() && key_char(s[k])) ++k;
  if (k == 0 || k + 1 >= s.size() || s[k] != ':' || !(s[0] >= 'a' && s[0] <= 'z')) return std::nullopt;
  char next = s[k + 1];
  if (next == ' ' || next == '/' || next == ':') return std::nullopt;  // "key: v", URLs, "::"
  std::string key(s.substr(0, k)), value(s.substr(k + 1));
  return "missing space after ':' in '" + std::string(s) + "': YAML needs a space after the colon of a key (write '" +
         key + ": " + value + "')";
}

// "text: Note: closed today": an unquoted value that holds ': ' (read as another key).
std::optional<std::string> unquoted_colon(const Line& l) {
  size_t off;
  std::string_view s = after_dash(l.text, off);
  size_t colon = s.find(": ");
  if (colon == std::string_view::npos) return std::nullopt;
  std::string key(s.substr(0, colon));
  for (char c : key)
    if (!key_char(c)) return std::nullopt;
  std::string_view value = s.substr(colon + 2);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (value.empty() || value.front() == '"' || value.front() == '\'' || value.front() == '[' ||
      value.front() == '{' || value.front() == '|' || value.front() == '>' || value.front() == '&' ||
      value.front() == '*' || value.front() == '!')
    return std::nullopt;
  if (value.find(": ") == std::string_view::npos && value.back() != ':') return std::nullopt;
  std::string escaped;
  for (char c : value) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  return "the value of '" + key + "' contains ': ', which YAML reads as the start of another key; put the text in "
         "quotes: " + key + ": \"" + escaped + "\"";
}

struct Indent {
  int column;
  int line;
  std::string what;  // the key or item at that level, for the message
};

std::string first_word(std::string_view s) {
  size_t k = 0;
  while (k < s.size() && key_char(s[k])) ++k;
  return std::string(s.substr(0, k));
}

// A line indented between two levels closes the deeper block early. Returns the message and line.
std::optional<std::pair<int, std::string>> under_indented(const std::vector<Line>& lines, int upto) {
  std::vector<Indent> stack;
  int block_scalar = -1;  // indent of the key that opened a | or > scalar
  for (const auto& l : lines) {
    if (l.number > upto) break;
    if (block_scalar >= 0) {
      if (l.indent > block_scalar) continue;
      block_scalar = -1;
    }
    std::optional<Indent> popped;
    while (!stack.empty() && stack.back().column > l.indent) popped = stack.back(), stack.pop_back();
    if (popped && (stack.empty() || stack.back().column < l.indent)) {
      int more = popped->column - l.indent;
      std::string word = first_word(l.text);
      return std::make_pair(
          l.number, "this line is indented by " + std::to_string(l.indent) + " spaces, less than the block above it, "
                    "which closes that block early: line " + std::to_string(l.number) +
                    (word.empty() ? "" : " ('" + word + "')") + " probably needs " + std::to_string(more) + " more space" +
                    (more == 1 ? "" : "s") + ", to line up with '" + popped->what + "' on line " +
                    std::to_string(popped->line));
    }
    if (stack.empty() || stack.back().column < l.indent) stack.push_back({l.indent, l.number, first_word(l.text)});
    size_t off;
    std::string_view rest = after_dash(l.text, off);
    if (off > 0 && !rest.empty()) stack.push_back({l.indent + static_cast<int>(off), l.number, first_word(rest)});
    char last = l.text.back();
    if ((last == '|' || last == '>') && l.text.find(':') != std::string::npos) block_scalar = l.indent;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ExplainedYamlError> explain_yaml_error(std::string_view text, int error_line) {
  std::vector<Line> lines = lines_of(text);
  // The mistakes on or just before the line yaml-cpp stopped at, nearest first.
  for (int back = 0; back <= 2; ++back) {
    for (const auto& l : lines) {
      if (l.number != error_line - back && !(back == 0 && l.number == error_line + 1)) continue;
      if (auto m = unquoted_colon(l)) return ExplainedYamlError{l.number, l.indent + 1, *m};
      if (auto m = missing_space(l)) return ExplainedYamlError{l.number, l.indent + 1, *m};
    }
  }
  if (auto m = under_indented(lines, error_line + 1)) {
    for (const auto& l : lines)
      if (l.number == m->first) return ExplainedYamlError{l.number, l.indent + 1, m->second};
  }
  return std::nullopt;
}

}  // namespace branchcast
