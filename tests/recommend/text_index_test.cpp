#include "recommend/text_index.h"

#include <cmath>

#include <gtest/gtest.h>

namespace branchcast {
namespace {

TEST(TextIndex, TermsKeepAuthorsWholeAndSplitSubjects) {
  EXPECT_EQ(author_term("  Ann   Cleeves "), "a:ann cleeves");
  EXPECT_EQ(subject_words("Local History, Crime-Fiction"),
            (std::vector<std::string>{"local", "history", "crime", "fiction"}));
  EXPECT_EQ(feature_terms({"Ann Cleeves"}, {"Crime"}, {"shetland"}),
            (std::vector<std::string>{"a:ann cleeves", "crime", "shetland"}));
}

TEST(TextIndex, Bm25MatchesTheFormulaByHand) {
  // Three documents; the query term "crime" is in documents 0 (twice) and 2.
  const auto ix = Bm25Index::build({{"crime", "crime", "shetland"}, {"history"}, {"crime", "history"}});
  std::vector<double> s;
  ix.score({"crime"}, s);
  ASSERT_EQ(s.size(), 3u);
  const double idf = std::log(1.0 + (3 - 2 + 0.5) / (2 + 0.5));
  const double avg = 6.0 / 3.0;
  auto tf_part = [&](double tf, double len) { return tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / avg)); };
  EXPECT_NEAR(s[0], idf * tf_part(2, 3), 1e-12);
  EXPECT_EQ(s[1], 0.0);
  EXPECT_NEAR(s[2], idf * tf_part(1, 2), 1e-12);
  EXPECT_NEAR(ix.score_one({"crime"}, 0), s[0], 1e-12);
  EXPECT_EQ(ix.score_one({"nothing"}, 0), 0.0);
  EXPECT_EQ(ix.term_id("nothing"), -1);
  // A rarer term weighs more than a common one.
  EXPECT_GT(ix.idf(ix.term_id("shetland")), ix.idf(ix.term_id("crime")));
}

}  // namespace
}  // namespace branchcast
