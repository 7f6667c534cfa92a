// BM25 over short bibliographic fields (authors, subjects, tags), in memory.
//
// Pure and immutable after build(): safe to query from any thread. Terms are produced by
// feature_terms(): an author is one whole-name term ("a:ann cleeves", so two Anns do not match;
// "Cleeves, Ann" and "ANN CLÉEVES" give the same term), subjects and tags are split into
// lower-case, accent-folded words ("Local History" -> "local", "history").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace branchcast {

// Lower-case words of a subject, tag or free text. Latin letters with accents are folded to their
// base letter ("Crimé" -> "crime", "Straße" -> "strasse"); ASCII punctuation, Latin-1 and general
// punctuation (NBSP, dashes, typographic quotes, zero-width spaces) separate words; any other
// UTF-8 (Greek, Cyrillic, CJK, invalid bytes) is kept as part of words, byte for byte.
std::vector<std::string> subject_words(std::string_view text);
// A person's name in one canonical form, for matching: the words of the name (subject_words), in
// "given family" order: "Cleeves, Ann" -> "ann cleeves", "Cleeves, Ann, 1954-" -> "ann cleeves"
// (comma parts after the first with digits are dates and dropped; "Author 12" stays whole), "P.D. James" -> "p d james". "" when the name
// has no words.
std::string canonical_name(std::string_view name);
// "a:" + canonical_name(name).
std::string author_term(std::string_view name);
// " w1 w2 w3 " (subject_words joined and padded with spaces), so that a canonical name or phrase
// p is in the text exactly when the result contains " " + p + " ".
std::string word_text(std::string_view text);
// All BM25 terms of one item's fields, with repeats (term frequency).
std::vector<std::string> feature_terms(const std::vector<std::string>& authors,
                                       const std::vector<std::string>& subjects,
                                       const std::vector<std::string>& tags);

struct Bm25Params {
  double k1 = 1.2;
  double b = 0.75;
};

class Bm25Index {
 public:
  Bm25Index() = default;
  // documents[i] is the term list of document i.
  static Bm25Index build(const std::vector<std::vector<std::string>>& documents, Bm25Params params = {});

  size_t size() const { return doc_length_.size(); }
  // Id of a term, or -1 when no document has it.
  int32_t term_id(std::string_view term) const;
  // BM25 score of every document with at least one query term, added into `scores` (resized to
  // size() when smaller). Query terms that repeat count once per repeat (a weighted query).
  void score(const std::vector<std::string>& query, std::vector<double>& scores) const;
  // BM25 of one document for the query (0 when nothing matches). O(query x postings of the term).
  double score_one(const std::vector<std::string>& query, uint32_t doc) const;
  double idf(int32_t term) const { return idf_[static_cast<size_t>(term)]; }
  // The documents that contain every one of `terms` (sorted); empty when `terms` is empty or a
  // term is unknown.
  std::vector<uint32_t> docs_with_all(const std::vector<std::string>& terms) const;

 private:
  struct Posting {
    uint32_t doc;
    uint32_t tf;
  };
  double term_weight(const Posting& p) const;

  Bm25Params params_;
  std::unordered_map<std::string, int32_t> terms_;
  std::vector<std::vector<Posting>> postings_;  // by term id, sorted by doc
  std::vector<double> idf_;                     // by term id
  std::vector<uint32_t> doc_length_;
  double avg_length_ = 0;
};

}  // namespace branchcast
