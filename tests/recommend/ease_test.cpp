#include "recommend/ease.h"

#include <gtest/gtest.h>

namespace branchcast {
namespace {

DenseMatrix matrix(std::vector<std::vector<double>> rows) {
  DenseMatrix m = DenseMatrix::zeros(rows.size());
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < rows.size(); ++j) m.at(i, j) = rows[i][j];
  return m;
}

TEST(Ease, InverseOfASmallSpdMatrix) {
  const DenseMatrix a = matrix({{4, 2, 0}, {2, 5, 1}, {0, 1, 3}});
  auto inv = invert_spd(a);
  ASSERT_TRUE(inv.ok());
  // det = 4*(15-1) - 2*(6-0) = 44; the adjugate by hand.
  const double expected[3][3] = {{14, -6, 2}, {-6, 12, -4}, {2, -4, 16}};
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = 0; j < 3; ++j) EXPECT_NEAR(inv->at(i, j), expected[i][j] / 44.0, 1e-12) << i << "," << j;
}

TEST(Ease, RefusesAMatrixThatIsNotPositiveDefinite) {
  EXPECT_FALSE(invert_spd(matrix({{1, 2}, {2, 1}})).ok());
  EXPECT_FALSE(ease_weights(matrix({{1, 0}, {0, 1}}), 0.0).ok());
}

TEST(Ease, TwoItemsByHand) {
  // G + lambda I = [[3,1],[1,3]], P = 1/8 [[3,-1],[-1,3]], B_ij = -P_ij / P_jj = 1/3.
  auto b = ease_weights(matrix({{2, 1}, {1, 2}}), 1.0);
  ASSERT_TRUE(b.ok());
  EXPECT_NEAR(b->at(0, 1), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(b->at(1, 0), 1.0 / 3.0, 1e-12);
  EXPECT_EQ(b->at(0, 0), 0.0);
  EXPECT_EQ(b->at(1, 1), 0.0);
}

TEST(Ease, ThreeItemsByHand) {
  // Items 0 and 1 always co-borrowed, 2 alone: G = [[2,2,0],[2,2,0],[0,0,1]], lambda = 1.
  // G + I = [[3,2,0],[2,3,0],[0,0,2]]; P = [[3/5,-2/5,0],[-2/5,3/5,0],[0,0,1/2]].
  // B_01 = -P_01 / P_11 = (2/5) / (3/5) = 2/3; nothing predicts item 2 or is predicted by it.
  auto b = ease_weights(matrix({{2, 2, 0}, {2, 2, 0}, {0, 0, 1}}), 1.0);
  ASSERT_TRUE(b.ok());
  EXPECT_NEAR(b->at(0, 1), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(b->at(1, 0), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(b->at(0, 2), 0.0, 1e-12);
  EXPECT_NEAR(b->at(2, 1), 0.0, 1e-12);
}

}  // namespace
}  // namespace branchcast
