// Restart to first frame (issue 7): the real `branchcast` binary on the demo branch, offscreen.
// Measures, over `rounds` runs: process start -> READY=1 (sent after the first frame of the first
// item is presented); SIGHUP after a change the screens take in place (the branch's Saturday
// hours) -> the log line "applied to the screens" (loaded on the config worker, swapped in on the
// loop; nothing restarts, so no READY=1 follows); and SIGHUP after a change that restarts the
// screens (a feed's refresh) -> READY=1 again. A SIGHUP with nothing changed does nothing.
// Baseline in the same run: a bare `gst-launch-1.0 playbin` of the same first item (the entrance
// screen's PNG) into fakesink, from process start to its exit after that one frame. Prints
// medians and the ratios to the baseline.
//
// Usage: bench_daemon_start [rounds=7]
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/appliance/loopback.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// Replaces the first `from` in the file by `to` (the config edits between reloads).
void edit(const std::string& path, const std::string& from, const std::string& to) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  auto at = text.find(from);
  if (at == std::string::npos) {
    std::fprintf(stderr, "%s: '%s' not found\n", path.c_str(), from.c_str());
    std::exit(1);
  }
  text.replace(at, from.size(), to);
  std::ofstream(path) << text;
}

// How many times `needle` occurs in the file (the daemon's log).
size_t occurrences(const std::string& path, const std::string& needle) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  const std::string text = s.str();
  size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Waits until the log holds more than `before` lines with `needle`; false after limit_ms.
bool wait_for_log(const std::string& path, const std::string& needle, size_t before, double limit_ms) {
  auto t0 = Clock::now();
  while (ms_since(t0) < limit_ms) {
    if (occurrences(path, needle) > before) return true;
    ::usleep(2'000);
  }
  return false;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
    ::unlink(path.c_str());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) std::perror("bind");
    timeval tv{0, 20'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~NotifySocket() { ::close(fd_); }
  bool wait_ready(double limit_ms) {
    auto t0 = Clock::now();
    char buf[512];
    while (ms_since(t0) < limit_ms) {
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0 && std::string(buf, static_cast<size_t>(n)).find("READY=1") != std::string::npos) return true;
    }
    return false;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_;
};

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::pair<std::string, std::string>>& env,
            const std::string& log) {
  pid_t pid = ::fork();
  if (pid == 0) {
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    FILE* f = std::freopen(log.c_str(), "a", stderr);
    f = std::freopen("/dev/null", "w", stdout);
    (void)f;
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 7;
  const std::string bin = std::string(BRANCHCAST_BINARY_DIR) + "/branchcast";
  char tmpl[] = "/tmp/branchcast-start-XXXXXX";
  const std::string scratch = ::mkdtemp(tmpl);
  // The demo branch, with the health endpoint on a free port (8642 may be in use).
  std::filesystem::copy(std::string(BRANCHCAST_BINARY_DIR) + "/demo-branch", scratch + "/demo",
                        std::filesystem::copy_options::recursive);
  {
    std::ifstream in(scratch + "/demo/appliance.yaml");
    std::stringstream s;
    s << in.rdbuf();
    std::string yaml = s.str();
    auto at = yaml.find("127.0.0.1:8642");
    if (at != std::string::npos)
      yaml.replace(at, 14, "127.0.0.1:" + std::to_string(branchcast::test_support::free_loopback_port()));
    std::ofstream(scratch + "/demo/appliance.yaml") << yaml;
  }
  const std::string config = scratch + "/demo/appliance.yaml";
  const std::string first_item = scratch + "/demo/content/whats-on.png";
  const std::string log = scratch + "/run.log";
  NotifySocket notify(scratch + "/notify.sock");
  std::vector<std::pair<std::string, std::string>> env = {
      {"BRANCHCAST_STATE_DIR", scratch + "/state"}, {"SDL_VIDEODRIVER", "offscreen"}, {"NOTIFY_SOCKET", notify.path()}};

  std::vector<double> start_ms, applied_ms, reload_ms, baseline_ms;
  const std::string applied_line = "applied to the screens";
  for (int r = 0; r < rounds; ++r) {
    auto t0 = Clock::now();
    pid_t pid = spawn({"gst-launch-1.0", "-q", "playbin", "uri=file://" + first_item, "video-sink=fakesink",
                       "audio-sink=fakesink"}, {}, log);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) baseline_ms.push_back(ms_since(t0));

    t0 = Clock::now();
    pid = spawn({bin, "run", "--config", config, "--for", "60s"}, env, log);
    if (!notify.wait_ready(30'000)) {
      std::fprintf(stderr, "no READY=1 from branchcast run; see %s\n", log.c_str());
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      return 1;
    }
    start_ms.push_back(ms_since(t0));
    // A change taken in place: Saturday closes a minute later (and back in the next round).
    const bool odd = r % 2 == 1;
    edit(config, odd ? "sat: \"10:00-17:01\"" : "sat: \"10:00-17:00\"",
         odd ? "sat: \"10:00-17:00\"" : "sat: \"10:00-17:01\"");
    const size_t before = occurrences(log, applied_line);
    t0 = Clock::now();
    ::kill(pid, SIGHUP);
    if (wait_for_log(log, applied_line, before, 30'000)) applied_ms.push_back(ms_since(t0));
    // A change that restarts the screens: the events feed's refresh.
    edit(config, odd ? "refresh: 16m" : "refresh: 15m", odd ? "refresh: 15m" : "refresh: 16m");
    t0 = Clock::now();
    ::kill(pid, SIGHUP);
    if (notify.wait_ready(30'000)) reload_ms.push_back(ms_since(t0));
    ::kill(pid, SIGTERM);
    ::waitpid(pid, &status, 0);
  }
  double base = median(baseline_ms);
  std::printf("restart to first frame, demo branch (2 screens, 1280x720 offscreen), %d rounds, medians:\n", rounds);
  std::printf("  baseline gst-launch-1.0 playbin of the first item (start to exit): %7.1f ms\n", base);
  std::printf("  branchcast run: start to READY=1 (first frame)            %7.1f ms  (%.2fx baseline)\n",
              median(start_ms), base > 0 ? median(start_ms) / base : 0);
  std::printf("  SIGHUP, a change applied in place: to its log line         %7.1f ms  (%.2fx baseline)  [%zu/%d]\n",
              median(applied_ms), base > 0 ? median(applied_ms) / base : 0, applied_ms.size(), rounds);
  std::printf("  SIGHUP reload to READY=1 (a change that restarts screens)  %7.1f ms  (%.2fx baseline)  [%zu/%d]\n",
              median(reload_ms), base > 0 ? median(reload_ms) / base : 0, reload_ms.size(), rounds);
  std::filesystem::remove_all(scratch);
  return 0;
}
