#include "feeds/html_text.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <cstring>
#include <vector>

namespace branchcast {
namespace {

bool is_block(const char* name) {
  static const char* const kBlocks[] = {"p", "br", "li", "div", "h1", "h2", "h3", "h4", "h5",
                                        "h6", "tr", "ul", "ol", "blockquote", "section", "hr"};
  for (const char* b : kBlocks)
    if (std::strcmp(name, b) == 0) return true;
  return false;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

void cut_utf8(std::string& s, size_t max_bytes) {
  if (s.size() <= max_bytes) return;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
}

}  // namespace

bool looks_like_html(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    char c = s[i], d = s[i + 1];
    if (c == '<' && ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || d == '/' || d == '!'))
      return true;
    if (c == '&') {
      size_t j = i + 1;
      if (j < s.size() && s[j] == '#') ++j;
      size_t start = j;
      while (j < s.size() && j - start < 10 &&
             ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= '0' && s[j] <= '9')))
        ++j;
      if (j > start && j < s.size() && s[j] == ';') return true;
    }
  }
  return false;
}

std::string normalize_space(std::string_view s, bool keep_lines) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false, pending_line = false;
  for (char c : s) {
    if (is_space(c)) {
      if (keep_lines && c == '\n') pending_line = true;
      else pending_space = true;
      continue;
    }
    if (!out.empty()) {
      if (pending_line) out += '\n';
      else if (pending_space) out += ' ';
    }
    pending_space = pending_line = false;
    out += c;
  }
  return out;
}

std::string html_to_text(std::string_view html, bool keep_lines, size_t max_bytes) {
  if (!looks_like_html(html)) {
    std::string out = normalize_space(html, keep_lines);
    cut_utf8(out, max_bytes);
    return out;
  }
  std::string wrapped = "<html><body>" + std::string(html) + "</body></html>";
  htmlDocPtr doc = htmlReadMemory(wrapped.data(), static_cast<int>(wrapped.size()), nullptr, "UTF-8",
                                  HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                      HTML_PARSE_RECOVER | HTML_PARSE_NOBLANKS);
  if (!doc) return normalize_space(html, keep_lines);  // unparseable: fall back to raw text
  std::string raw;
  // Iterative walk (no recursion on attacker-controlled depth).
  std::vector<xmlNodePtr> stack;
  if (xmlNodePtr root = xmlDocGetRootElement(doc)) stack.push_back(root);
  while (!stack.empty() && raw.size() < max_bytes * 2) {
    xmlNodePtr n = stack.back();
    stack.pop_back();
    if (n == nullptr) {
      raw += keep_lines ? '\n' : ' ';  // marker: end of a block element
      continue;
    }
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content) raw += reinterpret_cast<const char*>(n->content);
      continue;
    }
    if (n->type != XML_ELEMENT_NODE) continue;
    const char* name = reinterpret_cast<const char*>(n->name);
    if (std::strcmp(name, "script") == 0 || std::strcmp(name, "style") == 0) continue;
    bool block = is_block(name);
    if (block) {
      raw += keep_lines ? '\n' : ' ';
      stack.push_back(nullptr);
    }
    std::vector<xmlNodePtr> kids;
    for (xmlNodePtr c = n->children; c; c = c->next) kids.push_back(c);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
  }
  xmlFreeDoc(doc);
  std::string out = normalize_space(raw, keep_lines);
  cut_utf8(out, max_bytes);
  return out;
}

}  // namespace branchcast
