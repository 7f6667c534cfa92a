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

TEST(TextIndex, NamesAndWordsAreFoldedToOneForm) {
  for (const char* spelling : {"Ann Cleeves", "Cleeves, Ann", "CLEEVES,ANN", "Ann Cl\xC3\xA9\x65ves", "Cleeves, Ann, 1954-",
                               " Ann\xC2\xA0\xE2\x80\x8B" "Cleeves "})
    EXPECT_EQ(canonical_name(spelling), "ann cleeves") << spelling;
  EXPECT_EQ(canonical_name("P.D. James"), canonical_name("P. D. James"));
  EXPECT_EQ(canonical_name("Jo Nesb\xC3\xB8"), "jo nesbo");
  EXPECT_EQ(canonical_name("\xC5\xBBu\xC5\x82" "awski, Andrzej"), "andrzej zulawski");
  EXPECT_EQ(canonical_name("Author 12"), "author 12");  // digits are dropped only as a later comma part
  EXPECT_EQ(canonical_name("2Pac"), "2pac");
  EXPECT_EQ(canonical_name(""), "");
  EXPECT_EQ(canonical_name(" , ,"), "");
  EXPECT_EQ(canonical_name("\xE2\x80\x94"), "");  // an em dash alone has no words
  EXPECT_EQ(subject_words("Stra\xC3\x9F" "e \xE2\x80\x9C" "Crim\xC3\xA9\xE2\x80\x9D \xD0\x9A\xD1\x80\xD0\xB8\xD0\xBC"),
            (std::vector<std::string>{"strasse", "crime", "\xD0\x9A\xD1\x80\xD0\xB8\xD0\xBC"}));
  EXPECT_EQ(subject_words("\xff\xfe ok"), (std::vector<std::string>{"\xff\xfe", "ok"}));  // invalid bytes kept
  EXPECT_EQ(word_text("Ann Cleeves in conversation"), " ann cleeves in conversation ");
  EXPECT_EQ(word_text(""), " ");
  const auto ix = Bm25Index::build({{"crime", "fiction"}, {"crime"}, {"local", "history"}});
  EXPECT_EQ(ix.docs_with_all({"crime"}), (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(ix.docs_with_all({"crime", "fiction"}), (std::vector<uint32_t>{0}));
  EXPECT_TRUE(ix.docs_with_all({"crime", "nothing"}).empty());
  EXPECT_TRUE(ix.docs_with_all({}).empty());
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
