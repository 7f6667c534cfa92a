// Scale figure: a recommendation refresh (build_model) for 50 000 titles and 1 000 000 anonymous
// loan pairs, peak RSS (getrusage), and the per-screen / per-patron ranking query time.
//
// Times are the thread's CPU time (CLOCK_THREAD_CPUTIME_ID).
// Baselines in the same run: for the refresh, one pass that hashes every id of the loan rows into a
// map (the least any refresh must do to read its input); for the query, one pass over every item's
// precomputed popularity. Figures are printed as seconds / milliseconds and as ratios to those.
//
// Usage: bench_recommend_scale [--titles N] [--pairs N] [--queries N]
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_map>

#include "common/time_zone.h"
#include "recommend/ranker.h"

using namespace branchcast;

namespace {

// Thread CPU time, not wall time: the figures should not depend on what else the machine runs
// (a shared build machine here). The refresh and queries are single-threaded and never block.
struct Clock {
  using time_point = double;
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
};

double seconds_since(double t) { return Clock::now() - t; }

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// Zipf-like title draw: a few titles are borrowed very often.
struct Zipf {
  explicit Zipf(int n, uint64_t seed) : rng(seed), n(n) {}
  int draw() {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    return static_cast<int>(std::pow(static_cast<double>(n), u)) - 1;  // log-uniform ranks
  }
  std::mt19937_64 rng;
  int n;
};

Catalogue make_catalogue(int titles, int pairs, TimePoint now) {
  Catalogue c;
  std::mt19937_64 rng(7);
  auto below = [&](int n) { return static_cast<int>((rng() >> 11) % static_cast<uint64_t>(n)); };
  const int authors = titles / 5, subjects = 300;
  for (int t = 0; t < titles; ++t) {
    CatalogueTitle x;
    x.id = "isbn:978" + std::to_string(1'000'000 + t);
    x.title = "Title " + std::to_string(t);
    x.authors = {"Author " + std::to_string(below(authors))};
    x.subjects = {"subject" + std::to_string(below(subjects)), "subject" + std::to_string(below(subjects))};
    x.tags = {"tag" + std::to_string(below(50))};
    x.added = now - std::chrono::days(below(2000));
    c.titles.push_back(std::move(x));
  }
  for (int e = 0; e < 500; ++e) {
    CatalogueEvent ev;
    ev.id = ev.uid = "event-" + std::to_string(e);
    ev.title = "Event " + std::to_string(e);
    ev.start = now + std::chrono::hours(below(24 * 60));
    ev.end = ev.start + std::chrono::hours(1);
    ev.tags = {"subject" + std::to_string(below(subjects))};
    c.events.push_back(std::move(ev));
  }
  std::sort(c.events.begin(), c.events.end(), [](auto& a, auto& b) { return a.start < b.start; });
  Zipf z(titles, 11);
  const auto today = std::chrono::floor<std::chrono::days>(now);
  for (int i = 0; i < pairs / 2; ++i) {
    c.loan_counts.push_back({std::chrono::year_month_day{today - std::chrono::days(below(365))},
                             c.titles[static_cast<size_t>(z.draw())].id, 1 + below(5)});
  }
  for (int i = 0; i < pairs; ++i) {
    const int a = z.draw(), b = z.draw();
    c.loan_pairs.push_back({std::chrono::year_month_day{today - std::chrono::days(below(365))},
                            c.titles[static_cast<size_t>(a)].id, c.titles[static_cast<size_t>(b)].id, 1 + below(3)});
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  int titles = 50'000, pairs = 1'000'000, queries = 300;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--titles") titles = std::atoi(argv[i + 1]);
    if (a == "--pairs") pairs = std::atoi(argv[i + 1]);
    if (a == "--queries") queries = std::atoi(argv[i + 1]);
  }
  const TimePoint now = TimeZone::utc().parse_iso("2026-11-30T10:00Z").value();
  const Catalogue cat = make_catalogue(titles, pairs, now);
  const long rss_input = peak_rss_mb();

  auto t0 = Clock::now();
  std::unordered_map<std::string, double> seen;
  for (const auto& c : cat.loan_counts) seen[c.title_id] += static_cast<double>(c.count);
  for (const auto& p : cat.loan_pairs) seen[p.a] += 1, seen[p.b] += 1;
  const double baseline_s = seconds_since(t0);

  std::vector<double> builds;
  RecommenderModel model;
  for (int run = 0; run < 3; ++run) {
    t0 = Clock::now();
    model = build_model(cat, now);
    builds.push_back(seconds_since(t0));
  }
  std::sort(builds.begin(), builds.end());
  const long rss_build = peak_rss_mb();
  ModelOptions with_ease;
  with_ease.ease = true;
  t0 = Clock::now();
  RecommenderModel ease_model = build_model(cat, now, with_ease);
  const double ease_s = seconds_since(t0);
  const long rss_ease = peak_rss_mb();

  // Queries: screens (lobby and children's area, presence varying) and patrons (random interests).
  std::mt19937_64 rng(3);
  auto below = [&](int n) { return static_cast<int>((rng() >> 11) % static_cast<uint64_t>(n)); };
  std::vector<double> screen_ms, patron_ms;
  size_t sink = 0;
  for (int q = 0; q < queries; ++q) {
    ScreenSettings s;
    s.audience = q % 2 ? "children" : "";
    RankRequest r = screen_request(now + std::chrono::minutes(q), s, static_cast<PresenceLevel>(q % 3));
    r.count = 10;
    t0 = Clock::now();
    sink += rank(model, r).items.size();
    screen_ms.push_back(seconds_since(t0) * 1e3);
    PatronInterests in{{"Author " + std::to_string(below(titles / 5))},
                       {"subject" + std::to_string(below(300)), "subject" + std::to_string(below(300))}, "adult"};
    RankRequest p = patron_request(now, in, {cat.titles[static_cast<size_t>(below(titles))].id});
    p.use_ease = q % 2;
    t0 = Clock::now();
    sink += rank(q % 2 ? ease_model : model, p).items.size();
    patron_ms.push_back(seconds_since(t0) * 1e3);
  }
  t0 = Clock::now();
  double pass = 0;
  for (int q = 0; q < queries; ++q)
    for (const auto& it : model.items) pass += it.popularity * (q + 1);
  const double pass_ms = seconds_since(t0) * 1e3 / queries;
  auto stats = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    double mean = 0;
    for (double x : v) mean += x;
    return std::array<double, 3>{mean / static_cast<double>(v.size()), v[v.size() / 2], v[v.size() * 99 / 100]};
  };
  const auto ss = stats(screen_ms), ps = stats(patron_ms);
  constexpr double kPiFactor = 4.0;
  std::printf("input: %d titles, %zu events, %zu LoanCount rows, %zu LoanPair rows (%zu distinct titles seen)\n", titles,
              cat.events.size(), cat.loan_counts.size(), cat.loan_pairs.size(), seen.size());
  std::printf("refresh (build_model), best/median of 3: %.2f s / %.2f s = %.1fx the input-hash baseline (%.2f s)\n",
              builds[0], builds[1], builds[1] / baseline_s, baseline_s);
  std::printf("refresh with EASE over %zu titles: %.2f s\n", ease_model.ease_items, ease_s);
  std::printf("peak RSS: %ld MB with the input loaded, %ld MB after refreshes, %ld MB after the EASE refresh\n", rss_input,
              rss_build, rss_ease);
  std::printf("projected on a Raspberry Pi 4 (x%.0f): refresh %.1f s, with EASE %.1f s\n", kPiFactor, builds[1] * kPiFactor,
              ease_s * kPiFactor);
  std::printf("screen query (%d): mean %.2f ms, median %.2f ms, p99 %.2f ms (Pi 4 projected p99 %.1f ms)\n", queries, ss[0],
              ss[1], ss[2], ss[2] * kPiFactor);
  std::printf("patron query (%d, half with EASE): mean %.2f ms, median %.2f ms, p99 %.2f ms (Pi 4 projected p99 %.1f ms)\n",
              queries, ps[0], ps[1], ps[2], ps[2] * kPiFactor);
  std::printf("query baseline (one pass over %zu items' popularity): %.3f ms; screen query = %.0fx that\n",
              model.items.size(), pass_ms, ss[0] / pass_ms);
  return sink == 0 && pass == 0 ? 1 : 0;
}
