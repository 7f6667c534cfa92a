// Soak figure (issue 7): the whole `branchcast run` composition (the demo branch's two screens
// offscreen, scheduler, feeds from file: URLs, recommender, health endpoint, override poll,
// clock trust, HDMI-CEC fallback, SQLite proof of play) on a clock running `factor` times faster
// than real time, for `hours` of simulated time. Prints the process RSS at every simulated hour
// and the ratio hour 24 / hour 1 (goal: flat within 5%). RSS is sampled every 20 ms real (about
// 450 samples per simulated hour at x400); an hour's figure is the median of its samples, since
// one instant depends on which decoders happen to be alive.
//
// What is simulated: the wall and monotonic clocks the loop reads (so schedules, opening hours,
// power schedule, feed refreshes, override polls and clock-trust saves happen as in 24 h).
// What is real: GLib loop and timers, GStreamer decoding (videos decode at real speed, so at a
// high factor a video item is cut after a few frames), SDL offscreen composition, SQLite writes,
// the HTTP health server, file: feeds. Bluetooth is absent (no bluetoothd here: the daemon logs
// it and plays on), as is a CEC adapter (black-picture fallback for the `power:` screen).
//
// Usage: bench_daemon_soak [hours=24] [factor=400]
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "appliance/appliance_daemon.h"
#include "config/loader.h"
#include "tests/appliance/accelerated_clock.h"

namespace {

using namespace branchcast;

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

// Counts log lines per level and keeps the first few warnings/errors to print.
class CountingLog final : public LogSink {
 public:
  void write(LogLevel level, std::string_view tag, std::string_view message) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts[static_cast<int>(level)];
    if (level >= LogLevel::kWarn && first.size() < 8) first.push_back(std::string(tag) + ": " + std::string(message));
  }
  long counts[4] = {0, 0, 0, 0};
  std::vector<std::string> first;

 private:
  std::mutex mu_;
};

}  // namespace

int main(int argc, char** argv) {
  limit_malloc_arenas();  // as the branchcast binary does (appliance/main.cpp)
  const int hours = argc > 1 ? std::atoi(argv[1]) : 24;
  const double factor = argc > 2 ? std::atof(argv[2]) : 400.0;
  const std::string config = std::string(BRANCHCAST_BINARY_DIR) + "/demo-branch/appliance.yaml";
  auto loaded = load_appliance(config);
  if (!loaded.ok()) {
    std::cerr << "cannot load " << config << ": " << loaded.errors.at(0).message << "\n";
    return 1;
  }
  ApplianceSettings settings = *loaded.settings;
  settings.health.listen = "127.0.0.1:0";
  for (auto& s : settings.screens) s.output = OutputKind::kOffscreen;

  char tmpl[] = "/tmp/branchcast-soak-XXXXXX";
  std::string scratch = ::mkdtemp(tmpl);
  std::filesystem::create_directories(scratch + "/root/run/systemd/timesync");
  std::ofstream(scratch + "/root/run/systemd/timesync/synchronized") << "";
  ::setenv("BRANCHCAST_STATE_DIR", (scratch + "/state").c_str(), 1);
  ::setenv("SDL_VIDEODRIVER", "offscreen", 1);
  DaemonOptions daemon;
  daemon.system_root = scratch + "/root";
  daemon.kernel_clock_state = false;
  daemon.cec_dir = scratch + "/dev";

  // Monday 2026-11-30 10:00 UTC (= London time): both screens play, so hour 1 and hour 24
  // (Tuesday 09:00-10:00) compare the same state; the night between has both screens' closing,
  // the `power:` screen's standby and the morning's wake-up.
  const TimePoint start = TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 11 / 30)) + std::chrono::hours(10);
  test_support::AcceleratedClock clock(factor, start);
  ScreenLoopOptions options;
  options.run_for = Duration(std::chrono::hours(hours) + std::chrono::minutes(1));
  options.force_offscreen = true;
  options.max_idle = Duration(0);  // accelerated clock: a turn every frame
  CountingLog log;
  std::ostringstream out, err;

  std::vector<std::vector<long>> samples(static_cast<size_t>(hours) + 1);
  std::atomic<bool> running{true};
  std::thread sampler([&] {
    while (running) {
      auto h = std::chrono::duration_cast<std::chrono::hours>(clock.now() - start).count();
      if (h >= 0 && h <= hours) samples[static_cast<size_t>(h)].push_back(rss_kib());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  auto real0 = std::chrono::steady_clock::now();
  int status = run_appliance(settings, options, clock, log, out, err, daemon);
  double real_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - real0).count();
  running = false;
  sampler.join();
  // Hour h (1-based) is [h-1, h) of simulated time: its median and its peak.
  std::vector<long> rss(static_cast<size_t>(hours) + 1, -1), peak(static_cast<size_t>(hours) + 1, -1);
  for (int h = 1; h <= hours; ++h) {
    auto v = samples[static_cast<size_t>(h - 1)];
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());
    rss[static_cast<size_t>(h)] = v[v.size() / 2];
    peak[static_cast<size_t>(h)] = v.back();
  }

  std::printf("soak: %d simulated hours at x%.0f in %.0f s real (exit %d)\n", hours, factor, real_s, status);
  for (int h = 1; h <= hours; ++h)
    std::printf("  hour %2d  RSS median %7.1f MiB, peak %7.1f MiB (%zu samples)\n", h, rss[static_cast<size_t>(h)] / 1024.0,
                peak[static_cast<size_t>(h)] / 1024.0, samples[static_cast<size_t>(h - 1)].size());
  std::istringstream summary(out.str());
  for (std::string line; std::getline(summary, line);)
    if (line.rfind("screen ", 0) == 0 && line.find("items") != std::string::npos) std::printf("  %s\n", line.c_str());
  std::printf("  log lines: %ld info, %ld warn, %ld error\n", log.counts[1], log.counts[2], log.counts[3]);
  for (const auto& l : log.first) std::printf("    %s\n", l.c_str());
  if (!err.str().empty()) std::printf("  stderr: %s\n", err.str().c_str());
  long first = rss[1], last = rss[static_cast<size_t>(hours)];
  if (first > 0 && last > 0) {
    double ratio = static_cast<double>(last) / static_cast<double>(first);
    long lo = first, hi = first;
    for (int h = 1; h <= hours; ++h) {
      long v = rss[static_cast<size_t>(h)];
      if (v > 0) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    std::printf("RSS (hourly median) hour %d / hour 1: %.3f (%s 5%%); range over the run %.1f-%.1f MiB (%.3f-%.3f of hour 1)\n", hours,
                ratio, ratio <= 1.05 && ratio >= 0.95 ? "within" : "NOT within", lo / 1024.0, hi / 1024.0,
                static_cast<double>(lo) / static_cast<double>(first), static_cast<double>(hi) / static_cast<double>(first));
  }
  std::filesystem::remove_all(scratch);
  return status;
}
