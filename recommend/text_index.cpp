#include "recommend/text_index.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>

#include "common/strings.h"

namespace branchcast {
namespace {

// Base letters of U+00C0..U+00FF and U+0100..U+017F; '\0' marks a two-letter folding handled in
// fold_latin(), ' ' a separator (multiplication and division signs).
constexpr char kLatin1[] = "aaaaaa\0ceeeeiiii" "dnooooo ouuuuy\0\0" "aaaaaa\0ceeeeiiii" "dnooooo ouuuuy\0y";
constexpr char kLatinExtA[] =
    "aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "ii" "jj" "kkk" "llllllllll"
    "nnnnnnnnn" "oooooo" "\0\0" "rrrrrr" "ssssssss" "tttttt" "uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";
static_assert(sizeof kLatin1 == 65 && sizeof kLatinExtA == 129);

// Appends the folded form of a Latin code point (U+00C0..U+017F); false when it separates words.
bool fold_latin(uint32_t cp, std::string& out) {
  switch (cp) {
    case 0xC6: case 0xE6: out += "ae"; return true;
    case 0xDE: case 0xFE: out += "th"; return true;
    case 0xDF: out += "ss"; return true;
    case 0x152: case 0x153: out += "oe"; return true;
    default: break;
  }
  const char c = cp < 0x100 ? kLatin1[cp - 0xC0] : kLatinExtA[cp - 0x100];
  if (c == ' ') return false;
  out += c;
  return true;
}

// Length of a valid UTF-8 sequence starting at text[i] and its code point; 0 when invalid.
size_t utf8_at(std::string_view text, size_t i, uint32_t& cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = b(0);
  size_t n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (b(k) & 0x3F);
  }
  return n;
}

// Calls word(std::string) for each word of `text` (see subject_words()).
template <typename Fn>
void for_each_word(std::string_view text, Fn&& word) {
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) word(std::move(cur));
    cur.clear();
  };
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) cur += static_cast<char>(std::tolower(c));
      else flush();
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = utf8_at(text, i, cp);
    if (n == 0) {  // an invalid byte: kept, as before
      cur += static_cast<char>(c);
      ++i;
      continue;
    }
    const bool separator = (cp >= 0x80 && cp < 0xC0) || (cp >= 0x2000 && cp < 0x2070) || cp == 0x3000 ||
                           cp == 0xFEFF;
    if (separator) {
      flush();
    } else if (cp >= 0xC0 && cp < 0x180) {
      if (!fold_latin(cp, cur)) flush();
    } else {
      cur.append(text.substr(i, n));
    }
    i += n;
  }
  flush();
}

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

std::vector<std::string> subject_words(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(text, [&](std::string w) { out.push_back(std::move(w)); });
  return out;
}

std::string canonical_name(std::string_view name) {
  // "Family, Given[, dates]" -> "Given Family"; later parts with digits are dates and dropped,
  // other parts are kept in order after. A name without commas is kept whole ("Author 12").
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t comma = name.find(',', start);
    std::string_view part = name.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (!trim(part).empty() && (parts.empty() || !has_digit(part))) parts.push_back(part);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (parts.size() >= 2) std::swap(parts[0], parts[1]);
  std::string out;
  for (std::string_view part : parts)
    for_each_word(part, [&](std::string w) {
      if (!out.empty()) out += ' ';
      out += w;
    });
  return out;
}

std::string author_term(std::string_view name) { return "a:" + canonical_name(name); }

std::string word_text(std::string_view text) {
  std::string out = " ";
  for_each_word(text, [&](std::string w) {
    out += w;
    out += ' ';
  });
  return out;
}

std::vector<std::string> feature_terms(const std::vector<std::string>& authors,
                                       const std::vector<std::string>& subjects,
                                       const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& a : authors)
    if (std::string name = canonical_name(a); !name.empty()) out.push_back("a:" + name);
  for (const auto* list : {&subjects, &tags})
    for (const auto& s : *list)
      for (auto& w : subject_words(s)) out.push_back(std::move(w));
  return out;
}

Bm25Index Bm25Index::build(const std::vector<std::vector<std::string>>& documents, Bm25Params params) {
  Bm25Index ix;
  ix.params_ = params;
  ix.doc_length_.reserve(documents.size());
  uint64_t total = 0;
  for (uint32_t d = 0; d < documents.size(); ++d) {
    const auto& doc = documents[d];
    ix.doc_length_.push_back(static_cast<uint32_t>(doc.size()));
    total += doc.size();
    for (const auto& t : doc) {
      auto [it, added] = ix.terms_.try_emplace(t, static_cast<int32_t>(ix.postings_.size()));
      if (added) ix.postings_.emplace_back();
      auto& list = ix.postings_[static_cast<size_t>(it->second)];
      if (!list.empty() && list.back().doc == d) {
        ++list.back().tf;
      } else {
        list.push_back({d, 1});
      }
    }
  }
  ix.avg_length_ = documents.empty() ? 0.0 : static_cast<double>(total) / static_cast<double>(documents.size());
  const double n = static_cast<double>(documents.size());
  ix.idf_.reserve(ix.postings_.size());
  for (const auto& list : ix.postings_) {
    const double df = static_cast<double>(list.size());
    ix.idf_.push_back(std::log(1.0 + (n - df + 0.5) / (df + 0.5)));
  }
  return ix;
}

int32_t Bm25Index::term_id(std::string_view term) const {
  auto it = terms_.find(std::string(term));
  return it == terms_.end() ? -1 : it->second;
}

double Bm25Index::term_weight(const Posting& p) const {
  const double tf = p.tf;
  const double norm = avg_length_ > 0 ? doc_length_[p.doc] / avg_length_ : 1.0;
  return tf * (params_.k1 + 1.0) / (tf + params_.k1 * (1.0 - params_.b + params_.b * norm));
}

void Bm25Index::score(const std::vector<std::string>& query, std::vector<double>& scores) const {
  if (scores.size() < size()) scores.resize(size(), 0.0);
  for (const auto& q : query) {
    const int32_t t = term_id(q);
    if (t < 0) continue;
    const double w = idf_[static_cast<size_t>(t)];
    for (const auto& p : postings_[static_cast<size_t>(t)]) scores[p.doc] += w * term_weight(p);
  }
}

std::vector<uint32_t> Bm25Index::docs_with_all(const std::vector<std::string>& terms) const {
  std::vector<uint32_t> out;
  for (size_t k = 0; k < terms.size(); ++k) {
    const int32_t t = term_id(terms[k]);
    if (t < 0) return {};
    std::vector<uint32_t> docs;
    for (const auto& p : postings_[static_cast<size_t>(t)]) docs.push_back(p.doc);
    if (k == 0) {
      out = std::move(docs);
    } else {
      std::vector<uint32_t> both;
      std::set_intersection(out.begin(), out.end(), docs.begin(), docs.end(), std::back_inserter(both));
      out = std::move(both);
    }
    if (out.empty()) break;
  }
  return out;
}

double Bm25Index::score_one(const std::vector<std::string>& query, uint32_t doc) const {
  double s = 0;
  for (const auto& q : query) {
    const int32_t t = term_id(q);
    if (t < 0) continue;
    const auto& list = postings_[static_cast<size_t>(t)];
    auto it = std::lower_bound(list.begin(), list.end(), doc,
                               [](const Posting& p, uint32_t d) { return p.doc < d; });
    if (it != list.end() && it->doc == doc) s += idf_[static_cast<size_t>(t)] * term_weight(*it);
  }
  return s;
}

}  // namespace branchcast
