// Scenario benchmarks for the daemon's services.
//
// 1. Audience report over a year of proof of play (one screen open 12 h a day, 10 s items:
//    ~1.6 M plays) joined with 15-minute presence periods (~35 k). Prints plays/s and the ratio
//    against a baseline measured in the same run: the naive join that scans every presence
//    period for every play (timed on a sample and scaled).
// 2. /metrics and /healthz built from a snapshot of 4 screens and 10 feeds: microseconds per
//    request (the loop thread pays this per scrape).
#include <chrono>
#include <cstdio>

#include "services/audience_report.h"
#include "services/health_report.h"

using namespace branchcast;
using Steady = std::chrono::steady_clock;

namespace {

double seconds_since(Steady::time_point t0) { return std::chrono::duration<double>(Steady::now() - t0).count(); }

}  // namespace

int main() {
  const TimePoint t0{std::chrono::seconds{1'767'225'600}};
  std::vector<PlayRecord> plays;
  std::vector<PresencePeriod> presence;
  const char* items[] = {"content/welcome.png", "content/whats-on.png", "content/storytime.webm", "event:1", "event:2"};
  for (int day = 0; day < 365; ++day) {
    TimePoint open = t0 + std::chrono::hours(24 * day + 8);
    for (int p = 0; p < 48; ++p)
      presence.push_back({open + std::chrono::minutes(15 * p), open + std::chrono::minutes(15 * (p + 1)), "entrance", (day + p) % 23});
    for (int i = 0; i < 12 * 360; ++i)
      plays.push_back({"entrance", "default", "image", items[i % 5], open + std::chrono::seconds(10 * i), 10.0,
                       std::nullopt, 0.0});
  }

  auto a = Steady::now();
  auto rows = audience_report(plays, presence);
  double fast = seconds_since(a);

  // Baseline: every play against every presence period, on a sample of plays.
  const size_t sample = 2000;
  auto b = Steady::now();
  double sink = 0;
  for (size_t i = 0; i < sample; ++i) {
    const auto& pl = plays[i * (plays.size() / sample)];
    TimePoint e = pl.start + std::chrono::seconds(10);
    for (const auto& pr : presence)
      if (pr.start < e && pr.end > pl.start && pr.screen == pl.screen) sink += static_cast<double>(pr.devices);
  }
  double naive = seconds_since(b) * static_cast<double>(plays.size()) / sample;

  std::printf("audience report: %zu plays x %zu presence periods -> %zu rows in %.3f s (%.0f plays/s)\n",
              plays.size(), presence.size(), rows.size(), fast, static_cast<double>(plays.size()) / fast);
  std::printf("  naive join (sampled, scaled): %.1f s; speed-up %.0fx%s\n", naive, naive / fast, sink < 0 ? "!" : "");

  HealthSnapshot s;
  s.started = t0;
  s.first_frame = true;
  for (int i = 0; i < 4; ++i) {
    ScreenHealth sc;
    sc.id = "screen-" + std::to_string(i);
    sc.rule = "Storytime mornings";
    sc.kind = "video";
    sc.item = "content/storytime.webm";
    sc.last_presented = t0;
    s.screens.push_back(sc);
  }
  for (int i = 0; i < 10; ++i) s.feeds.push_back({"feed-" + std::to_string(i), t0, false});
  s.presence = PresenceLevel::kSome;
  s.outbox_depth = 3;
  s.sensors = {52.1, 0x50000u};
  const int n = 20000;
  size_t bytes = 0, healthz_bytes = 0;
  auto c = Steady::now();
  for (int i = 0; i < n; ++i) bytes += build_metrics(s, t0 + std::chrono::seconds(1)).body.size();
  double per_metrics = seconds_since(c) / n;
  auto d = Steady::now();
  for (int i = 0; i < n; ++i) healthz_bytes += build_healthz(s, t0 + std::chrono::seconds(1)).body.size();
  double per_healthz = seconds_since(d) / n;
  std::printf("/metrics (4 screens, 10 feeds, %zu bytes): %.1f us per request; /healthz: %.2f us\n",
              bytes / n, per_metrics * 1e6, per_healthz * 1e6 + (healthz_bytes == 0 ? 1 : 0));
  return 0;
}
