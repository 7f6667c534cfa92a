// EASE (Steck 2019): the closed-form item-item model B = I - P diag(1/diag(P)) with
// P = (G + lambda I)^-1, G the item Gram matrix (G_ii = loans of i, G_ij = co-borrows of i and j).
//
// Both G and its inverse are dense, so this is only for a catalogue's few hundred to few thousand
// most-borrowed titles: O(n^3) time, O(n^2) memory. Pure; any thread.
#pragma once

#include <cstddef>
#include <vector>

#include "common/result.h"

namespace branchcast {

// A dense symmetric matrix, row-major, n x n.
struct DenseMatrix {
  size_t n = 0;
  std::vector<double> v;
  double& at(size_t i, size_t j) { return v[i * n + j]; }
  double at(size_t i, size_t j) const { return v[i * n + j]; }
  static DenseMatrix zeros(size_t n) { return {n, std::vector<double>(n * n, 0.0)}; }
};

// The inverse of a symmetric positive definite matrix by Cholesky (A = L L^T, then
// A^-1 = L^-T L^-1). Fails when A is not positive definite (a pivot <= 0).
Result<DenseMatrix> invert_spd(const DenseMatrix& a);

// EASE weights from the Gram matrix. Fails when lambda <= 0 or the regularised matrix is not
// positive definite. The result has a zero diagonal; B(i, j) is how much having i predicts j.
Result<DenseMatrix> ease_weights(const DenseMatrix& gram, double lambda);

}  // namespace branchcast
