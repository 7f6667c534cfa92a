// Figures for the screen, each against a baseline measured in the same run:
//  1. transition gaps (max, p99) over N transitions of each kind, cut and crossfade, 30 and 60 fps,
//     and a single clip looping, measured by the product itself (run loop -> proof-of-play rows);
//  2. CPU time and peak RSS playing a 1080p30 VP8 clip offscreen vs gst-launch-1.0 playbin with
//     fakesink on the same clip (child processes, getrusage);
//  3. start to first frame for an image playlist.
// Usage: bench_media [--quick] [--only cpu|first|gaps|loop]
//   (--quick: 20 transitions, 10 s clip, for a smoke run; --only: one part)
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "appliance/screen_loop.h"
#include "store/database.h"
#include "store/play_log_repository.h"

using namespace branchcast;
namespace fs = std::filesystem;

namespace {

std::string g_dir;

void gst(const std::string& pipeline) {
  std::string cmd = "gst-launch-1.0 -q " + pipeline + " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "failed: " << cmd << "\n";
    std::exit(1);
  }
}

std::string media(const std::string& name, const std::string& pipeline) {
  std::string path = g_dir + "/" + name;
  if (!fs::exists(path)) gst(pipeline + " ! filesink location=" + path);
  return path;
}

PlaylistItem item(ItemKind kind, const std::string& file, int ms) {
  PlaylistItem i;
  i.kind = kind;
  i.path = fs::path(file).filename().string();
  i.resolved = file;
  if (kind == ItemKind::kText) i.text = "Storytime today at 10:30 in the children's library";
  i.duration = Duration(ms);
  return i;
}

ApplianceSettings one_screen(std::vector<PlaylistItem> items, TransitionSettings t, int w, int h) {
  ApplianceSettings s;
  s.path = g_dir + "/appliance.yaml";
  s.branch.timezone = "UTC";
  ScreenSettings screen;
  screen.id = "bench";
  screen.output = OutputKind::kOffscreen;
  screen.width = w;
  screen.height = h;
  s.screens.push_back(screen);
  PlaylistSettings p;
  p.transition = t;
  p.default_items = std::move(items);
  s.playlists["bench"] = p;
  return s;
}

std::vector<PlayRecord> play(const ApplianceSettings& s, Duration length, int fps, const std::string& db) {
  fs::remove(db);
  ScreenLoopOptions o;
  o.run_for = length;
  o.database_path = db;
  o.force_offscreen = true;
  o.fps = fps;
  SystemClock clock;
  StderrLogSink log(LogLevel::kWarn);
  std::ostringstream out, err;
  if (run_screens(s, o, clock, log, out, err) != 0) {
    std::cerr << err.str();
    std::exit(1);
  }
  auto database = Database::open(db);
  auto repo = PlayLogRepository::open(**database);
  return *repo->between("", TimePoint(), TimePoint::max());
}

// Display frames missed across transitions: a gap of n frame periods (rounded) hides n - 1 frames
// of the new item (the old picture stays one frame longer each time; never black).
int dropped_frames(const std::vector<double>& gaps_ms, int fps) {
  int dropped = 0;
  for (double g : gaps_ms) dropped += std::max(0, static_cast<int>(std::lround(g * fps / 1000.0)) - 1);
  return dropped;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

void transition_gaps(int transitions) {
  std::string v1 = media("a.webm", "videotestsrc num-buffers=60 pattern=ball ! video/x-raw,width=1280,height=720,framerate=30/1 ! vp8enc deadline=1 cpu-used=16 ! webmmux");
  std::string v2 = media("b.webm", "videotestsrc num-buffers=60 pattern=smpte ! video/x-raw,width=1280,height=720,framerate=30/1 ! vp8enc deadline=1 cpu-used=16 ! webmmux");
  std::string png = media("c.png", "videotestsrc num-buffers=1 pattern=pinwheel ! video/x-raw,width=1280,height=720 ! videoconvert ! pngenc");
  const int ms = 400;
  // Cycle: video->video, video->image, image->video, video->card, card->video, video->video.
  std::vector<PlaylistItem> items = {item(ItemKind::kVideo, v1, ms), item(ItemKind::kVideo, v2, ms),
                                     item(ItemKind::kImage, png, ms), item(ItemKind::kVideo, v1, ms),
                                     item(ItemKind::kText, "", ms),   item(ItemKind::kVideo, v2, ms)};
  std::printf("\n## Transition gaps (1280x720, %d transitions per row, items of %d ms)\n\n", transitions, ms);
  std::printf("| transition | fps | frame period | n | max gap | p99 gap | max late | frames dropped |\n|---|---|---|---|---|---|---|---|\n");
  for (TransitionKind kind : {TransitionKind::kCut, TransitionKind::kCrossfade}) {
    for (int fps : {30, 60}) {
      auto s = one_screen(items, {kind, Duration(kind == TransitionKind::kCut ? 0 : 150)}, 1280, 720);
      auto rows = play(s, Duration((transitions + 1) * ms), fps, g_dir + "/gaps.db");
      std::map<std::string, std::vector<double>> gaps;
      std::map<std::string, double> late;
      std::vector<double> all;
      for (size_t i = 1; i < rows.size(); ++i) {
        if (!rows[i].gap_ms) continue;
        std::string k = rows[i - 1].kind + "->" + rows[i].kind;
        gaps[k].push_back(*rows[i].gap_ms);
        late[k] = std::max(late[k], rows[i].late_ms);
        all.push_back(*rows[i].gap_ms);
      }
      const char* kname = kind == TransitionKind::kCut ? "cut" : "crossfade";
      for (auto& [k, v] : gaps)
        std::printf("| %s %s | %d | %.1f ms | %zu | %.1f ms | %.1f ms | %.1f ms | %d |\n", kname, k.c_str(), fps,
                    1000.0 / fps, v.size(), *std::max_element(v.begin(), v.end()), percentile(v, 0.99), late[k],
                    dropped_frames(v, fps));
      std::printf("| **%s all** | %d | %.1f ms | %zu | **%.1f ms** | **%.1f ms** | | **%d** |\n", kname, fps,
                  1000.0 / fps, all.size(), all.empty() ? 0 : *std::max_element(all.begin(), all.end()),
                  percentile(all, 0.99), dropped_frames(all, fps));
      std::fflush(stdout);
    }
  }
}

// A single clip looping for its natural length (no duration): one pipeline wrapping to its start.
void loop_gaps(int transitions) {
  const int ms = 400;
  std::string loop = media("loop.webm", "videotestsrc num-buffers=12 pattern=ball ! video/x-raw,width=1280,height=720,framerate=30/1 ! vp8enc deadline=1 cpu-used=16 ! webmmux");
  PlaylistItem once = item(ItemKind::kVideo, loop, 0);
  once.duration.reset();
  for (int fps : {30, 60}) {
    auto s = one_screen({once}, {TransitionKind::kCut, Duration(0)}, 1280, 720);
    auto rows = play(s, Duration((transitions + 1) * ms), fps, g_dir + "/loop.db");
    std::vector<double> all;
    double late = 0;
    for (const PlayRecord& r : rows) {
      if (!r.gap_ms) continue;
      all.push_back(*r.gap_ms);
      late = std::max(late, r.late_ms);
    }
    std::printf("| **loop one clip** (video->same video) | %d | %.1f ms | %zu | **%.1f ms** | **%.1f ms** | %.1f ms | **%d** |\n",
                fps, 1000.0 / fps, all.size(), all.empty() ? 0 : *std::max_element(all.begin(), all.end()),
                percentile(all, 0.99), late, dropped_frames(all, fps));
    std::fflush(stdout);
  }
}

struct Usage {
  double cpu_s = 0;
  long max_rss_kb = 0;
  double wall_s = 0;
};

// Runs argv under /usr/bin/time (a small process), so the peak RSS is the command's own and not
// inherited from this benchmark's address space at fork time.
Usage run_child(const std::vector<std::string>& argv) {
  std::string stats = g_dir + "/time.txt";
  std::vector<std::string> full = {"/usr/bin/time", "-f", "%e %U %S %M", "-o", stats};
  full.insert(full.end(), argv.begin(), argv.end());
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (auto& a : full) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::cerr << "child " << argv[0] << " failed\n";
  Usage u;
  double user = 0, sys = 0;
  if (FILE* f = std::fopen(stats.c_str(), "r")) {
    if (std::fscanf(f, "%lf %lf %lf %ld", &u.wall_s, &user, &sys, &u.max_rss_kb) != 4) std::cerr << "bad time output\n";
    std::fclose(f);
  }
  u.cpu_s = user + sys;
  return u;
}

void cpu_and_rss(const char* self, int seconds) {
  // A scrolling test card: every frame changes, so the decoder has real work to do.
  std::string clip = media("hd-moving-" + std::to_string(seconds) + ".webm",
                           "videotestsrc num-buffers=" + std::to_string(seconds * 30) +
                               " pattern=smpte horizontal-speed=8 ! video/x-raw,width=1920,height=1080,framerate=30/1 "
                               "! vp8enc deadline=1 cpu-used=16 ! webmmux");
  Usage ours = run_child({self, "--play-child", clip, std::to_string(seconds)});
  Usage base = run_child({"gst-launch-1.0", "-q", "playbin", "uri=file://" + clip, "video-sink=fakesink sync=true",
                          "audio-sink=fakesink"});
  std::printf("\n## CPU and memory: 1920x1080 30 fps VP8, %d s, offscreen\n\n", seconds);
  std::printf("| player | wall | CPU time | CPU %% of one core | peak RSS |\n|---|---|---|---|---|\n");
  for (auto [name, u] : {std::pair{"branchcast (decode + compose offscreen)", ours},
                         std::pair{"gst-launch-1.0 playbin, fakesink", base}})
    std::printf("| %s | %.1f s | %.1f s | %.0f%% | %.1f MB |\n", name, u.wall_s, u.cpu_s,
                100.0 * u.cpu_s / std::max(0.001, u.wall_s), static_cast<double>(u.max_rss_kb) / 1024.0);
  std::printf("| **ratio** | | **%.2fx CPU** | | **%.2fx RSS** |\n", ours.cpu_s / std::max(0.001, base.cpu_s),
              static_cast<double>(ours.max_rss_kb) / std::max(1L, base.max_rss_kb));
}

int play_child(const std::string& clip, int seconds) {
  PlaylistItem v = item(ItemKind::kVideo, clip, 0);
  v.duration.reset();  // plays its natural length and loops, like a single-clip playlist on site
  auto s = one_screen({v}, {TransitionKind::kCut, Duration(0)}, 1920, 1080);
  play(s, Duration(seconds * 1000), 30, g_dir + "/cpu.db");
  return 0;
}

void first_frame() {
  std::string png = media("first.png", "videotestsrc num-buffers=1 pattern=smpte ! video/x-raw,width=1920,height=1080 ! videoconvert ! pngenc");
  std::vector<double> ms;
  for (int i = 0; i < 5; ++i) {
    auto s = one_screen({item(ItemKind::kImage, png, 10'000)}, {}, 1920, 1080);
    TimePoint t0 = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
    auto rows = play(s, Duration(300), 30, g_dir + "/first.db");
    if (!rows.empty()) ms.push_back(static_cast<double>((rows[0].start - t0).count()));
  }
  std::sort(ms.begin(), ms.end());
  std::printf("\n## Start to first frame: 1920x1080 PNG playlist (run_screens call to first presented frame)\n\n");
  std::printf("| runs | min | median | max |\n|---|---|---|---|\n| %zu | %.0f ms | %.0f ms | %.0f ms |\n", ms.size(),
              ms.front(), ms[ms.size() / 2], ms.back());
}

}  // namespace

int main(int argc, char** argv) {
  g_dir = (fs::temp_directory_path() / "branchcast-bench-media").string();
  fs::create_directories(g_dir);
  if (argc == 4 && std::strcmp(argv[1], "--play-child") == 0) {
    limit_malloc_arenas();  // as the branchcast binary does (appliance/main.cpp)
    return play_child(argv[2], std::atoi(argv[3]));
  }
  bool quick = false;
  std::string only;  // --only cpu|first|gaps|loop: one part
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
  }
  std::printf("# bench_media%s (media in %s)\n", quick ? " --quick" : "", g_dir.c_str());
  if (only.empty() || only == "cpu") cpu_and_rss(argv[0], quick ? 10 : 30);
  if (only.empty() || only == "first") first_frame();
  if (only.empty() || only == "gaps") transition_gaps(quick ? 20 : 100);
  if (only == "loop") std::printf("\n| transition | fps | frame period | n | max gap | p99 gap | max late | frames dropped |\n|---|---|---|---|---|---|---|---|\n");
  if (only.empty() || only == "loop") loop_gaps(quick ? 20 : 100);
  return 0;
}
