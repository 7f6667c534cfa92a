#include "recommend/text_index.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "common/strings.h"

namespace branchcast {
namespace {

bool is_word_byte(unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80; }

}  // namespace

std::vector<std::string> subject_words(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (unsigned char c : text) {
    if (is_word_byte(c)) {
      cur += static_cast<char>(c >= 0x80 ? c : std::tolower(c));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string author_term(std::string_view name) {
  std::string out = "a:";
  bool space = false;
  for (unsigned char c : trim(name)) {
    if (std::isspace(c)) {
      space = true;
      continue;
    }
    if (space && out.size() > 2) out += ' ';
    space = false;
    out += static_cast<char>(c >= 0x80 ? c : std::tolower(c));
  }
  return out;
}

std::vector<std::string> feature_terms(const std::vector<std::string>& authors,
                                       const std::vector<std::string>& subjects,
                                       const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& a : authors) out.push_back(author_term(a));
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
