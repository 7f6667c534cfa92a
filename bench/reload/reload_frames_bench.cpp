// Frame gaps during a configuration reload (issue 13, item 3: "nothing parses on the loop
// thread"). A GLib loop ticks at 30 fps (the screen loop's frame period) and records when each
// tick ran. Three phases in one run, one after the other:
//   baseline  - no reload: the machine's own jitter;
//   worker    - SIGHUP-style forced reload of a ~4 MiB playlist through ConfigReloader with
//               ReloadOnWorker (load_appliance on a WorkerThread, result posted back), as the
//               daemon does now;
//   loop      - the same reload with the loader run on the loop thread (how it was before).
// For each: ticks, the largest gap between ticks, dropped frames at 30 fps (a gap of k periods
// drops k - 1 frames) and how long the reload took; then the peak RSS (VmHWM) of the process.
//
// Usage: bench_config_reload [playlist_kib=3900] [text_bytes=420]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/worker_thread.h"
#include "config/loader.h"
#include "services/config_reloader.h"

namespace {

using namespace branchcast;
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

constexpr double kPeriodMs = 1000.0 / 30.0;

long hwm_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

struct Phase {
  std::string name;
  std::vector<Steady::time_point> ticks;
  double reload_ms = 0;
  std::string outcome = "-";
};

void report(const Phase& p) {
  double max_gap = 0;
  long dropped = 0;
  for (size_t i = 1; i < p.ticks.size(); ++i) {
    double gap = std::chrono::duration<double, std::milli>(p.ticks[i] - p.ticks[i - 1]).count();
    max_gap = std::max(max_gap, gap);
    dropped += std::max(0L, std::lround(gap / kPeriodMs) - 1);
  }
  std::printf("%-9s ticks %4zu  max gap %7.1f ms  dropped frames %4ld  reload %7.1f ms (%s)\n", p.name.c_str(),
              p.ticks.size(), max_gap, dropped, p.reload_ms, p.outcome.c_str());
}

const char* name_of(ConfigReloader::Outcome o) {
  switch (o) {
    case ConfigReloader::Outcome::kApplied: return "applied";
    case ConfigReloader::Outcome::kUnchanged: return "unchanged";
    case ConfigReloader::Outcome::kRefused: return "refused";
    case ConfigReloader::Outcome::kPending: return "pending";
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  const long kib = argc > 1 ? std::atol(argv[1]) : 3900;
  const size_t text = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 420;
  fs::path dir = fs::temp_directory_path() / ("bc-reload-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir / "playlists");
  fs::create_directories(dir / "content");
  std::ofstream(dir / "appliance.yaml") << "branch:\n  id: central\n  name: Central\n  timezone: Europe/London\n"
                                           "screens:\n  - id: entrance\n    output: offscreen\n"
                                           "    playlist: playlists/big.yaml\n";
  size_t items = 0;
  {
    std::ofstream out(dir / "playlists/big.yaml");
    out << "default:\n";
    std::string line;
    while (static_cast<long>(out.tellp()) + 40 + static_cast<long>(text) < kib * 1024) {
      line = "  - text: \"Item " + std::to_string(items++) + " ";
      line.append(text, 'x');
      line += "\"\n";
      out << line;
    }
  }
  const std::string config = (dir / "appliance.yaml").string();
  std::printf("playlist: %zu items, %.2f MiB (%zu-byte texts); load at start: ", items,
              fs::file_size(dir / "playlists/big.yaml") / 1048576.0, text);
  auto t0 = Steady::now();
  auto first = load_appliance(config);
  std::printf("%.0f ms, %s\n", std::chrono::duration<double, std::milli>(Steady::now() - t0).count(),
              first.ok() ? "valid" : first.errors.front().to_string().c_str());
  if (!first.ok()) return 1;

  SystemClock clock;
  auto loop = make_glib_event_loop(clock);
  NullLogSink sink;
  WorkerThread worker;
  ReloadOnWorker on_worker;
  on_worker.run_on_worker = [&worker](std::function<void()> job) { worker.submit(std::move(job)); };
  on_worker.post_to_loop = loop->poster();
  ConfigReloader off_loop(*first.settings, load_appliance, [](const ApplianceSettings&) {}, Logger(sink, "config"),
                          on_worker);
  ConfigReloader on_loop(*first.settings, load_appliance, [](const ApplianceSettings&) {}, Logger(sink, "config"));

  std::vector<Phase> phases(3);
  phases[0].name = "baseline";
  phases[1].name = "worker";
  phases[2].name = "loop";
  size_t current = 0;
  // A new phase starts from the previous phase's last tick, so a stall at the switch counts.
  auto enter = [&](size_t phase) {
    if (!phases[current].ticks.empty()) phases[phase].ticks.push_back(phases[current].ticks.back());
    current = phase;
  };
  loop->every(std::chrono::milliseconds(33), [&] { phases[current].ticks.push_back(Steady::now()); });
  const MonoTime start = clock.monotonic();
  auto at = [&](int slot, long ms, std::function<void()> fn) {
    loop->wake_at(slot, start + std::chrono::milliseconds(ms), std::move(fn));
  };
  Steady::time_point reload_started;
  // 0-3 s baseline; 3 s worker reload, phase ends 2 s after it settled; then the loop reload.
  at(1, 3000, [&] {
    enter(1);
    reload_started = Steady::now();
    off_loop.set_on_settled([&](ConfigReloader::Outcome o) {
      phases[1].reload_ms = std::chrono::duration<double, std::milli>(Steady::now() - reload_started).count();
      phases[1].outcome = name_of(o);
      loop->wake_at(2, clock.monotonic() + std::chrono::milliseconds(2000), [&] {
        enter(2);
        auto t = Steady::now();
        auto o2 = on_loop.reload("bench", true);
        phases[2].reload_ms = std::chrono::duration<double, std::milli>(Steady::now() - t).count();
        phases[2].outcome = name_of(o2);
        loop->wake_at(3, clock.monotonic() + std::chrono::milliseconds(2000), [&] { loop->quit(); });
      });
    });
    off_loop.reload("bench", true);
  });
  loop->run();
  for (const auto& p : phases) report(p);
  std::printf("peak RSS (VmHWM) %.1f MiB\n", hwm_kib() / 1024.0);
  fs::remove_all(dir);
  return 0;
}
