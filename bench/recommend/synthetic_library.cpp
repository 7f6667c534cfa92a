#include "bench/recommend/synthetic_library.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace branchcast::bench {
namespace {

// Seeded and portable: only the raw 64-bit engine output is used (std distributions differ
// between standard libraries).
class Rng {
 public:
  explicit Rng(uint64_t seed) : e_(seed) {}
  double uniform() { return static_cast<double>(e_() >> 11) * 0x1.0p-53; }
  int below(int n) { return static_cast<int>(uniform() * n); }
  int between(int lo, int hi) { return lo + below(hi - lo + 1); }
  bool chance(double p) { return uniform() < p; }

 private:
  std::mt19937_64 e_;
};

// A title's draw weight at `day`: its appeal, times a life cycle that peaks when it arrives and
// fades with a 60-day time constant to a backlist floor. Not yet in the catalogue: 0.
double weight_at(double appeal, int added, int day) {
  if (day < added) return 0.0;
  return appeal * (0.08 + std::exp(-(day - added) / 60.0));
}

int pick_weighted(Rng& rng, const std::vector<int>& pool, const std::vector<double>& appeal,
                  const std::vector<int>& added, int day, const std::set<int>& taken) {
  double total = 0;
  for (int t : pool)
    if (!taken.count(t)) total += weight_at(appeal[t], added[t], day);
  if (total <= 0) return -1;
  double x = rng.uniform() * total;
  for (int t : pool) {
    if (taken.count(t)) continue;
    x -= weight_at(appeal[t], added[t], day);
    if (x <= 0) return t;
  }
  return -1;
}

}  // namespace

SyntheticLibrary make_library(const LibraryShape& s) {
  Rng rng(s.seed);
  SyntheticLibrary lib;
  lib.shape = s;
  lib.day0 = TimePoint{} + std::chrono::days(20'454);  // 2026-01-01T00:00Z
  for (int i = 0; i < s.subjects; ++i)
    lib.subject_names.push_back((i < s.children_subjects ? "kids" : "subj") + std::to_string(i));
  std::vector<int> author_subject(s.authors);
  for (int a = 0; a < s.authors; ++a) {
    lib.author_names.push_back("Author " + std::to_string(a));
    author_subject[a] = rng.below(s.subjects);
  }
  std::vector<double> appeal(s.titles);
  std::vector<std::vector<int>> by_author(s.authors), by_subject(s.subjects);
  std::vector<int> all;
  for (int t = 0; t < s.titles; ++t) {
    const int a = rng.below(s.authors);
    CatalogueTitle title;
    title.id = "t" + std::to_string(t);
    title.title = "Title " + std::to_string(t);
    title.authors = {lib.author_names[a]};
    std::set<int> subj{rng.chance(0.8) ? author_subject[a] : rng.below(s.subjects)};
    if (rng.chance(0.5)) subj.insert(rng.below(s.subjects));
    for (int x : subj) {
      title.subjects.push_back(lib.subject_names[x]);
      by_subject[x].push_back(t);
      if (x < s.children_subjects) title.audience = "children";
    }
    const int added = rng.chance(0.3) ? -rng.between(1, 2000) : rng.below(s.days);
    title.added = lib.day_start(added);
    appeal[t] = std::pow(1.0 - rng.uniform(), -1.0 / 1.2);  // Pareto: a few very popular titles
    by_author[a].push_back(t);
    all.push_back(t);
    lib.title_author.push_back(a);
    lib.title_added_day.push_back(added);
    lib.catalogue.titles.push_back(std::move(title));
  }
  for (int e = 0; e < s.events; ++e) {
    CatalogueEvent ev;
    ev.id = ev.uid = "e" + std::to_string(e);
    ev.feed = "events";
    ev.title = "Event " + std::to_string(e);
    ev.start = lib.day_start(rng.below(s.days)) + std::chrono::hours(10 + rng.below(8));
    ev.end = ev.start + std::chrono::hours(1);
    ev.tags = {lib.subject_names[static_cast<size_t>(rng.below(s.subjects))]};
    if (rng.chance(0.3)) ev.authors = {lib.author_names[static_cast<size_t>(rng.below(s.authors))]};
    lib.catalogue.events.push_back(std::move(ev));
  }
  std::sort(lib.catalogue.events.begin(), lib.catalogue.events.end(),
            [](const CatalogueEvent& a, const CatalogueEvent& b) { return a.start < b.start; });

  for (int u = 0; u < s.users; ++u) {
    SyntheticUser user;
    user.subjects = {rng.below(s.subjects), rng.below(s.subjects)};
    for (int k = 0; k < 3; ++k) {  // favourite authors mostly write in the favourite subjects
      int a = rng.below(s.authors);
      for (int tries = 0; tries < 50 && rng.chance(0.8) &&
                          std::find(user.subjects.begin(), user.subjects.end(), author_subject[a]) == user.subjects.end();
           ++tries)
        a = rng.below(s.authors);
      user.authors.push_back(a);
    }
    const int n = rng.between(s.loans_per_user_min, s.loans_per_user_max);
    std::vector<int> days(n);
    for (int& d : days) d = rng.below(s.days);
    std::sort(days.begin(), days.end());
    std::set<int> taken;
    for (int d : days) {
      const double r = rng.uniform();
      std::vector<int> pool;
      if (r < s.p_author) {
        for (int a : user.authors) pool.insert(pool.end(), by_author[a].begin(), by_author[a].end());
      } else if (r < s.p_author + s.p_subject) {
        for (int x : user.subjects) pool.insert(pool.end(), by_subject[x].begin(), by_subject[x].end());
      }
      int t = pool.empty() ? -1 : pick_weighted(rng, pool, appeal, lib.title_added_day, d, taken);
      if (t < 0) t = pick_weighted(rng, all, appeal, lib.title_added_day, d, taken);
      if (t < 0) continue;
      taken.insert(t);
      lib.loans.push_back({u, t, d});
    }
    lib.users.push_back(std::move(user));
  }
  return lib;
}

void add_anonymous_loans(const SyntheticLibrary& lib, int before_day, Catalogue& out) {
  auto ymd = [&](int day) { return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(lib.day_start(day))}; };
  std::map<std::pair<int, int>, int64_t> counts;                 // (day, title)
  std::map<std::tuple<int, int, int>, int64_t> pairs;           // (day, a, b)
  size_t begin = 0;
  while (begin < lib.loans.size()) {
    size_t end = begin;
    while (end < lib.loans.size() && lib.loans[end].user == lib.loans[begin].user) ++end;
    for (size_t i = begin; i < end; ++i) {
      const Loan& li = lib.loans[i];
      if (li.day >= before_day) continue;
      ++counts[{li.day, li.title}];
      for (size_t j = begin; j < i; ++j) {
        const Loan& lj = lib.loans[j];
        if (li.day - lj.day > lib.shape.pair_window_days) continue;
        ++pairs[{li.day, std::min(li.title, lj.title), std::max(li.title, lj.title)}];
      }
    }
    begin = end;
  }
  for (const auto& [k, n] : counts) out.loan_counts.push_back({ymd(k.first), "t" + std::to_string(k.second), n});
  for (const auto& [k, n] : pairs)
    out.loan_pairs.push_back({ymd(std::get<0>(k)), "t" + std::to_string(std::get<1>(k)), "t" + std::to_string(std::get<2>(k)), n});
}

PatronInterests declared_interests(const SyntheticLibrary& lib, int user) {
  PatronInterests p;
  const SyntheticUser& u = lib.users[static_cast<size_t>(user)];
  p.authors = {lib.author_names[static_cast<size_t>(u.authors.front())]};
  for (int x : u.subjects) p.subjects.push_back(lib.subject_names[static_cast<size_t>(x)]);
  return p;
}

}  // namespace branchcast::bench
