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
// Then the real path (`applied`): run_appliance (the whole `branchcast run`, one offscreen screen
// playing 5 s text items from the ~4 MiB playlist, config watcher, workers) with the 30 fps tick
// on the same GLib context; at 6 s the playlist file is rewritten (every text changed) and
// SIGHUP sent: loaded on the config worker, applied in place (no restart). `before` is the 3 s
// before the SIGHUP, `applied` from the SIGHUP to 3 s after the "applied to the screens" log line.
//
// Usage: bench_config_reload [playlist_kib=3900] [text_bytes=420] [real: the real path only]
#include <arpa/inet.h>
#include <glib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <sstream>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "appliance/appliance_daemon.h"
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

// A free loopback port for the health endpoint (the reloaded file must say the same).
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// Items of `text` bytes in words (a card wraps them like real text), 5 s each.
void write_playlist(const fs::path& path, long kib, size_t text, const std::string& word, size_t& items) {
  std::ofstream out(path);
  out << "default:\n";
  items = 0;
  std::string line;
  while (static_cast<long>(out.tellp()) + 60 + static_cast<long>(text) < kib * 1024) {
    line = "  - text: \"" + word + " " + std::to_string(items++);
    while (line.size() < text + 12) line += " lorem ipsum";
    line += "\"\n    duration: 5s\n";
    out << line;
  }
}

// Remembers when the appliance said it applied a change (any thread).
class WatchingLog final : public LogSink {
 public:
  void write(LogLevel, std::string_view tag, std::string_view message) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (message.find("applied to the screens") != std::string_view::npos) {
      applied_at = Steady::now();
      notes += std::string(tag) + ": " + std::string(message) + "\n";
    }
    if (message.find("restart") != std::string_view::npos || message.find("refused") != std::string_view::npos)
      notes += std::string(tag) + ": " + std::string(message) + "\n";
  }
  std::mutex mu_;
  std::optional<Steady::time_point> applied_at;
  std::string notes;
};

struct RealPath {
  std::vector<Steady::time_point> ticks;
  Steady::time_point sighup{};
};

gboolean real_tick(gpointer data) {
  static_cast<RealPath*>(data)->ticks.push_back(Steady::now());
  return G_SOURCE_CONTINUE;
}

// The applied change through `branchcast run`'s own code (see the header comment).
void real_path(const fs::path& dir, long kib, size_t text) {
  text *= 2;  // an item with a duration takes more YAML nodes: half as many items, under 30 000
  fs::create_directories(dir / "state");
  fs::create_directories(dir / "root/run/systemd/timesync");
  std::ofstream(dir / "root/run/systemd/timesync/synchronized") << "";
  std::ofstream(dir / "real.yaml") << "branch:\n  id: central\n  name: Central\n  timezone: Europe/London\n"
                                      "screens:\n  - id: entrance\n    output: offscreen\n    resolution: 640x360\n"
                                      "    playlist: playlists/real.yaml\n"
                                      "health:\n  listen: 127.0.0.1:" + std::to_string(free_port()) + "\n";
  size_t items = 0;
  write_playlist(dir / "playlists/real.yaml", kib, text, "Item", items);
  auto loaded = load_appliance((dir / "real.yaml").string());
  if (!loaded.ok()) {
    std::printf("applied: cannot load: %s\n", loaded.errors.front().to_string().c_str());
    return;
  }
  ::setenv("BRANCHCAST_STATE_DIR", (dir / "state").c_str(), 1);
  ::setenv("SDL_VIDEODRIVER", "offscreen", 1);
  DaemonOptions daemon;
  daemon.system_root = (dir / "root").string();
  daemon.kernel_clock_state = false;
  daemon.require_synced_clock = false;
  daemon.state_dir = (dir / "state").string();
  daemon.cec_dir = (dir / "dev").string();
  ScreenLoopOptions options;
  options.run_for = Duration(15'000);
  options.force_offscreen = true;
  options.database_path = (dir / "state/branchcast.db").string();
  SystemClock clock;
  WatchingLog log;
  std::ostringstream out, err;
  RealPath rp;
  guint tick = g_timeout_add(33, real_tick, &rp);  // the default context: run_appliance's loop
  std::atomic<bool> done{false};
  size_t n = 0;  // the changed playlist is written before the run: the change is one rename
  write_playlist(dir / "real.new", kib, text, "Changed", n);
  std::thread changer([&] {
    std::this_thread::sleep_for(std::chrono::seconds(6));
    fs::rename(dir / "real.new", dir / "playlists/real.yaml");
    rp.sighup = Steady::now();
    ::kill(::getpid(), SIGHUP);
  });
  std::optional<ApplianceSettings> changed;
  int status = run_appliance(*loaded.settings, options, clock, log, out, err, daemon, &changed);
  changer.join();
  g_source_remove(tick);
  (void)done;
  Phase before, applied;
  before.name = "before";
  applied.name = "applied";
  std::optional<Steady::time_point> at;
  {
    std::lock_guard<std::mutex> lock(log.mu_);
    at = log.applied_at;
  }
  for (auto t : rp.ticks) {
    if (t <= rp.sighup) {
      if (t >= rp.sighup - std::chrono::seconds(3)) before.ticks.push_back(t);
    } else if (!at || t <= *at + std::chrono::seconds(3)) {
      if (applied.ticks.empty() && !before.ticks.empty()) applied.ticks.push_back(before.ticks.back());
      applied.ticks.push_back(t);
    }
  }
  if (at) {
    applied.reload_ms = std::chrono::duration<double, std::milli>(*at - rp.sighup).count();
    applied.outcome = "applied in place";
  } else {
    applied.outcome = changed ? "restart asked" : "not applied";
  }
  std::printf("real path (run_appliance, %zu 5 s text items of %zu bytes, %.2f MiB, exit %d%s):\n", items, text,
              fs::file_size(dir / "playlists/real.yaml") / 1048576.0, status,
              changed ? ", kRunAgain" : "");
  report(before);
  report(applied);
  // Where the longest gaps of the applied phase began, from the SIGHUP (the reload is on the
  // worker meanwhile; the change is applied at `reload`).
  std::vector<std::pair<double, double>> gaps;  // (length, start) ms
  for (size_t i = 1; i < applied.ticks.size(); ++i)
    gaps.push_back({std::chrono::duration<double, std::milli>(applied.ticks[i] - applied.ticks[i - 1]).count(),
                    std::chrono::duration<double, std::milli>(applied.ticks[i - 1] - rp.sighup).count()});
  std::sort(gaps.rbegin(), gaps.rend());
  std::printf("  longest gaps (ms at +ms from SIGHUP):");
  for (size_t i = 0; i < gaps.size() && i < 4; ++i) std::printf(" %.0f@%+.0f", gaps[i].first, gaps[i].second);
  std::printf("\n");
  if (!log.notes.empty()) std::printf("%s", log.notes.c_str());
  std::istringstream summary(out.str());
  for (std::string line; std::getline(summary, line);)
    if (line.rfind("screen ", 0) == 0 || line.rfind("loop:", 0) == 0) std::printf("  %s\n", line.c_str());
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

  const bool real_only = argc > 3 && std::string(argv[3]) == "real";
  // The synthetic phases' loop is gone before the real path runs on the same GLib context.
  if (!real_only) {
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
  }
  real_path(dir, kib, text);
  fs::remove_all(dir);
  return 0;
}
