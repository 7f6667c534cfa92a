#include "recommend/ease.h"

#include <cmath>

namespace branchcast {

Result<DenseMatrix> invert_spd(const DenseMatrix& a) {
  const size_t n = a.n;
  // Lower Cholesky factor, row-major: both dot products below run over contiguous rows.
  DenseMatrix l = DenseMatrix::zeros(n);
  for (size_t j = 0; j < n; ++j) {
    const double* lj = &l.v[j * n];
    double s = a.at(j, j);
    for (size_t k = 0; k < j; ++k) s -= lj[k] * lj[k];
    if (!(s > 0.0)) return make_error("matrix is not positive definite (pivot " + std::to_string(j) + ")");
    const double d = std::sqrt(s);
    l.at(j, j) = d;
    for (size_t i = j + 1; i < n; ++i) {
      const double* li = &l.v[i * n];
      double t = a.at(i, j);
      for (size_t k = 0; k < j; ++k) t -= li[k] * lj[k];
      l.at(i, j) = t / d;
    }
  }
  // M = L^-1 (lower), stored transposed: mt(j, i) = M(i, j), so column j of M is contiguous.
  DenseMatrix mt = DenseMatrix::zeros(n);
  for (size_t j = 0; j < n; ++j) {
    double* col = &mt.v[j * n];
    col[j] = 1.0 / l.at(j, j);
    for (size_t i = j + 1; i < n; ++i) {
      const double* li = &l.v[i * n];
      double t = 0;
      for (size_t k = j; k < i; ++k) t += li[k] * col[k];
      col[i] = -t / li[i];
    }
  }
  // A^-1 = M^T M: (a, b) = sum over k >= max(a, b) of M(k, a) M(k, b).
  DenseMatrix inv = DenseMatrix::zeros(n);
  for (size_t x = 0; x < n; ++x) {
    const double* cx = &mt.v[x * n];
    for (size_t y = x; y < n; ++y) {
      const double* cy = &mt.v[y * n];
      double t = 0;
      for (size_t k = y; k < n; ++k) t += cx[k] * cy[k];
      inv.at(x, y) = t;
      inv.at(y, x) = t;
    }
  }
  return inv;
}

Result<DenseMatrix> ease_weights(const DenseMatrix& gram, double lambda) {
  if (!(lambda > 0.0)) return make_error("EASE lambda must be > 0");
  DenseMatrix g = gram;
  for (size_t i = 0; i < g.n; ++i) g.at(i, i) += lambda;
  auto p = invert_spd(g);
  if (!p) return p.error();
  DenseMatrix b = std::move(p.value());
  const size_t n = b.n;
  std::vector<double> diag(n);
  for (size_t j = 0; j < n; ++j) diag[j] = b.at(j, j);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) b.at(i, j) = i == j ? 0.0 : -b.at(i, j) / diag[j];
  return b;
}

}  // namespace branchcast
