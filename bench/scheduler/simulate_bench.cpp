// Scenario benchmark: `simulate` over 7 days for a playlist with 200 rules.
//
// Prints items/s for the deadline-driven scheduler, and the ratio against a baseline measured in
// the same run: a naive scheduler that wakes every second and re-evaluates every rule (what the
// deadline design avoids). Also shows that cost follows item changes, not seconds in the window:
// the same week with 6x longer items costs about 6x less.
#include <chrono>
#include <cstdio>
#include <random>

#include "scheduler/conditions.h"
#include "scheduler/timeline.h"

using namespace branchcast;
using Clock = std::chrono::steady_clock;

namespace {

PlaylistSettings make_playlist(int rules, int item_seconds, std::mt19937& rng) {
  PlaylistSettings p;
  auto item = [&](const std::string& name) {
    PlaylistItem i;
    i.kind = ItemKind::kImage;
    i.path = name;
    i.duration = std::chrono::seconds(item_seconds);
    return i;
  };
  p.default_items = {item("default-1.png"), item("default-2.png")};
  for (int r = 0; r < rules; ++r) {
    PlaylistRule rule;
    rule.name = "rule-" + std::to_string(r);
    rule.priority = static_cast<int>(rng() % 20);
    rule.interrupt = r % 10 == 0;
    int start = static_cast<int>(rng() % (24 * 60));
    int len = 15 + static_cast<int>(rng() % 120);
    rule.when.time = TimeWindow{TimeOfDay{start}, TimeOfDay{(start + len) % 1440}};
    if (r % 3 == 0) {
      std::array<bool, 7> d{};
      for (int k = 0; k < 7; ++k) d[k] = rng() % 2;
      rule.when.days = d;
    }
    rule.items = {item(rule.name + "-a.png"), item(rule.name + "-b.png")};
    p.rules.push_back(rule);
  }
  return p;
}

struct Run {
  size_t items = 0;
  double seconds = 0;
};

Run deadline_driven(const ScheduleInputs& in, TimePoint from, TimePoint to) {
  auto t0 = Clock::now();
  Scheduler s(in);
  auto timeline = simulate_timeline(s, from, to);
  return {timeline.size(), std::chrono::duration<double>(Clock::now() - t0).count()};
}

// Baseline: wake every second, evaluate every rule, switch at item end.
Run per_second(const ScheduleInputs& in, TimePoint from, TimePoint to) {
  auto t0 = Clock::now();
  ConditionContext ctx{&in.zone, PresenceLevel::kEmpty, nullptr};
  size_t changes = 0, active_hash = 0;
  for (TimePoint t = from; t < to; t += std::chrono::seconds(1)) {
    LocalTime l = in.zone.to_local(t);
    size_t h = 0;
    int best = -1;
    for (size_t r = 0; r < in.playlist.rules.size(); ++r)
      if (condition_holds(in.playlist.rules[r].when, t, l, ctx) && in.playlist.rules[r].priority >= best) {
        best = in.playlist.rules[r].priority;
        h = h * 31 + r;
      }
    if (h != active_hash) ++changes;
    active_hash = h;
  }
  return {changes, std::chrono::duration<double>(Clock::now() - t0).count()};
}

}  // namespace

int main() {
  std::mt19937 rng(42);
  ScheduleInputs in;
  in.zone = *TimeZone::load("Europe/London");
  in.playlist = make_playlist(200, 10, rng);
  TimePoint from = *in.zone.parse_iso("2026-03-23T00:00");  // a week spanning the DST change
  TimePoint to = from + std::chrono::days(7);

  Run fast = deadline_driven(in, from, to);
  Run naive = per_second(in, from, to);
  std::mt19937 rng2(42);
  ScheduleInputs slow_items = in;
  slow_items.playlist = make_playlist(200, 60, rng2);
  Run longer = deadline_driven(slow_items, from, to);
  Run one_day = deadline_driven(in, from, from + std::chrono::days(1));

  std::printf("simulate, 200 rules, 7 days (10 s items): %zu item starts in %.3f s = %.0f items/s\n",
              fast.items, fast.seconds, fast.items / fast.seconds);
  std::printf("baseline, per-second polling of the same week: %.3f s (%.0f evaluations/s)\n",
              naive.seconds, 7 * 86400 / naive.seconds);
  std::printf("ratio deadline-driven vs per-second polling: %.1fx faster\n", naive.seconds / fast.seconds);
  std::printf("same week, 60 s items: %zu item starts in %.3f s (items ratio %.2f, time ratio %.2f)\n",
              longer.items, longer.seconds, double(fast.items) / longer.items, fast.seconds / longer.seconds);
  std::printf("one day, 10 s items: %zu item starts in %.3f s (7-day/1-day time ratio %.2f)\n",
              one_day.items, one_day.seconds, fast.seconds / one_day.seconds);
  return 0;
}
