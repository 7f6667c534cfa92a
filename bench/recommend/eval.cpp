// Offline evaluation of the recommender on a seeded synthetic library (bench only).
//
// Protocol (time split, leave last out): loans before the split day train the model (as the
// anonymous aggregates the product sees); each synthetic borrower with >= 3 loans before the split
// and at least one after it is a test case whose target is their LAST loan; their loans before the
// split are their known history (excluded from their list). Recall@10 (= hit rate, one target),
// NDCG@10 and catalogue coverage, for baselines and the product's blend, in one run; and for the
// rows that know the borrower's declared interests, precision@3 of "shares a declared interest"
// (the top-3 title has a declared author or subject; checked from the catalogue here, not from
// the ranker's own relevance). Goal 1.0: a patron's top picks are about what they declared.
//
// Usage: bench_recommend_eval [--seed N] [--users N] [--titles N] [--ease-lambda X] [--ease-items N]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <unordered_map>

#include "bench/recommend/synthetic_library.h"
#include "recommend/ranker.h"

using namespace branchcast;
using namespace branchcast::bench;

namespace {

constexpr size_t kTopN = 10;

struct Case {
  int user;
  std::string target;
  std::vector<std::string> history;
};

struct Score {
  std::string name;
  double recall = 0, ndcg = 0, coverage = 0;
  double precision3 = -1;  // < 0: not measured (no declared interests)
};

using Recommender = std::function<std::vector<std::string>(const Case&)>;
// Whether a title shares a declared interest of the case's borrower.
using Shares = std::function<bool(const Case&, const std::string&)>;

Score evaluate(const std::string& name, const std::vector<Case>& cases, size_t catalogue_size, const Recommender& rec,
               const Shares& shares = {}) {
  Score s{name};
  std::set<std::string> seen;
  double p3_hits = 0, p3_slots = 0;
  for (const Case& c : cases) {
    const auto list = rec(c);
    for (size_t r = 0; shares && r < list.size() && r < 3; ++r) {
      p3_slots += 1;
      p3_hits += shares(c, list[r]) ? 1 : 0;
    }
    for (size_t r = 0; r < list.size() && r < kTopN; ++r) {
      seen.insert(list[r]);
      if (list[r] == c.target) {
        s.recall += 1;
        s.ndcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
      }
    }
  }
  s.recall /= static_cast<double>(cases.size());
  s.ndcg /= static_cast<double>(cases.size());
  s.coverage = static_cast<double>(seen.size()) / static_cast<double>(catalogue_size);
  if (shares) s.precision3 = p3_slots > 0 ? p3_hits / p3_slots : 0.0;
  return s;
}

std::vector<std::string> top_by(const std::vector<std::pair<double, std::string>>& scored, const Case& c) {
  std::set<std::string> known(c.history.begin(), c.history.end());
  std::vector<std::string> out;
  for (const auto& [score, id] : scored) {
    if (known.count(id)) continue;
    out.push_back(id);
    if (out.size() == kTopN) break;
  }
  return out;
}

std::vector<std::string> ids_of(const Ranking& r) {
  std::vector<std::string> out;
  for (const auto& i : r.items) out.push_back(i.id);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  LibraryShape shape;
  ModelOptions opts;
  opts.ease = true;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const int v = std::atoi(argv[i + 1]);
    if (a == "--seed") shape.seed = static_cast<uint64_t>(v);
    if (a == "--users") shape.users = v;
    if (a == "--titles") shape.titles = v;
    if (a == "--ease-lambda") opts.ease_lambda = std::atof(argv[i + 1]);
    if (a == "--ease-items") opts.ease_max_items = static_cast<size_t>(v);
  }
  const int split_day = shape.days - 35;
  const SyntheticLibrary lib = make_library(shape);
  Catalogue train = lib.catalogue;
  add_anonymous_loans(lib, split_day, train);
  const TimePoint now = lib.day_start(split_day);

  // Test cases.
  std::vector<Case> cases;
  for (size_t b = 0; b < lib.loans.size();) {
    size_t e = b;
    while (e < lib.loans.size() && lib.loans[e].user == lib.loans[b].user) ++e;
    Case c{lib.loans[b].user, "t" + std::to_string(lib.loans[e - 1].title), {}};
    for (size_t i = b; i < e; ++i)
      if (lib.loans[i].day < split_day) c.history.push_back("t" + std::to_string(lib.loans[i].title));
    if (c.history.size() >= 3 && lib.loans[e - 1].day >= split_day) cases.push_back(std::move(c));
    b = e;
  }
  // Only titles in the catalogue at the split can be recommended.
  std::vector<std::string> available;
  for (size_t t = 0; t < lib.title_added_day.size(); ++t)
    if (lib.title_added_day[t] < split_day) available.push_back("t" + std::to_string(t));
  std::set<std::string> available_set(available.begin(), available.end());
  std::erase_if(cases, [&](const Case& c) { return !available_set.count(c.target); });

  // Baselines.
  std::unordered_map<std::string, double> counts;
  for (const auto& lc : train.loan_counts) counts[lc.title_id] += static_cast<double>(lc.count);
  std::vector<std::pair<double, std::string>> by_count;
  for (const auto& id : available) by_count.emplace_back(counts.count(id) ? counts[id] : 0.0, id);
  std::stable_sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) { return a.first > b.first; });

  RecommenderModel model = build_model(train, now, opts);
  std::vector<std::pair<double, std::string>> by_decayed;
  for (const auto& id : available) by_decayed.emplace_back(model.find(id)->popularity, id);
  std::stable_sort(by_decayed.begin(), by_decayed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });

  std::mt19937_64 rng(shape.seed ^ 0x5eed);
  auto blend = [&](bool interests, bool history, bool ease, BlendWeights w) {
    return [&, interests, history, ease, w](const Case& c) {
      RankRequest r = interests ? patron_request(now, declared_interests(lib, c.user), {}) : RankRequest{};
      r.now = now;
      r.weights = w;
      r.kinds = {"book"};
      r.count = kTopN;
      r.use_ease = ease;
      if (history) {
        r.context = c.history;
      } else {
        r.exclude = c.history;
      }
      return ids_of(rank(model, r));
    };
  };
  BlendWeights only_co{0, 1, 0, 0, 0, 0};
  std::unordered_map<std::string, const CatalogueTitle*> titles;
  for (const auto& t : lib.catalogue.titles) titles[t.id] = &t;
  Shares shares = [&](const Case& c, const std::string& id) {
    const PatronInterests in = declared_interests(lib, c.user);
    const CatalogueTitle* t = titles.at(id);
    for (const auto& a : t->authors)
      if (std::find(in.authors.begin(), in.authors.end(), a) != in.authors.end()) return true;
    for (const auto& x : t->subjects)
      if (std::find(in.subjects.begin(), in.subjects.end(), x) != in.subjects.end()) return true;
    return false;
  };
  std::vector<Score> rows;
  rows.push_back(evaluate("random", cases, available.size(), [&](const Case& c) {
    std::vector<std::pair<double, std::string>> shuffled;
    for (const auto& id : available) shuffled.emplace_back(static_cast<double>(rng() >> 11), id);
    std::sort(shuffled.begin(), shuffled.end());
    return top_by(shuffled, c);
  }));
  rows.push_back(evaluate("popularity (all-time loans)", cases, available.size(), [&](const Case& c) { return top_by(by_count, c); }));
  rows.push_back(evaluate("popularity (30-day half-life)", cases, available.size(), [&](const Case& c) { return top_by(by_decayed, c); }));
  rows.push_back(evaluate("co-occurrence only (history)", cases, available.size(), blend(false, true, false, only_co)));
  rows.push_back(evaluate("EASE only (history)", cases, available.size(), blend(false, true, true, only_co)));
  rows.push_back(evaluate("blend: history", cases, available.size(), blend(false, true, false, {})));
  rows.push_back(evaluate("blend: declared interests", cases, available.size(), blend(true, false, false, {}), shares));
  rows.push_back(evaluate("blend: interests + history", cases, available.size(), blend(true, true, false, {}), shares));
  rows.push_back(evaluate("blend: interests + history, EASE", cases, available.size(), blend(true, true, true, {}), shares));

  std::printf("synthetic library: seed %llu, %zu titles (%zu available at the split), %d borrowers, %zu loans, "
              "%zu LoanCount rows, %zu LoanPair rows before the split; %zu test cases; EASE over %zu titles (lambda %g)\n",
              static_cast<unsigned long long>(shape.seed), lib.catalogue.titles.size(), available.size(), shape.users,
              lib.loans.size(), train.loan_counts.size(), train.loan_pairs.size(), cases.size(), model.ease_items, opts.ease_lambda);
  const Score& pop = rows[1];
  std::printf("\n| method | Recall@10 | NDCG@10 | coverage | Recall vs popularity | NDCG vs popularity | precision@3 (declared) |\n");
  std::printf("| --- | --- | --- | --- | --- | --- | --- |\n");
  for (const Score& s : rows) {
    char p3[16] = "-";
    if (s.precision3 >= 0) std::snprintf(p3, sizeof p3, "%.4f", s.precision3);
    std::printf("| %s | %.4f | %.4f | %.3f | %.2fx | %.2fx | %s |\n", s.name.c_str(), s.recall, s.ndcg, s.coverage,
                s.recall / pop.recall, s.ndcg / pop.ndcg, p3);
  }
  return 0;
}
