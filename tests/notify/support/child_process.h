// Real helper processes for tests (SMTP sink, mosquitto): start, wait until ready, stop.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace branchcast::test {

class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);  // stdout/stderr to /dev/null
  ~ChildProcess();  // SIGTERM, then reap
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
};

// Re-executes this test binary with --gtest_filter=<gtest_filter> and `env` ("NAME=value") added
// to the environment, stdout to /dev/null (crash tests: no fork of a threaded process). Returns
// the child's pid, or -1.
int spawn_self(const std::string& gtest_filter, const std::vector<std::string>& env);

// The kill -9 loop of the crash tests: spawns a child (spawn() returns its pid) again and again;
// the first `kill_runs - 1` children are SIGKILLed after a random delay in [min_ms, max_ms]
// (seeded), then children run until one exits by itself (at most max_runs in all).
struct KillNineLoop {
  int runs = 0;
  int kills = 0;
  bool finished = false;      // a child exited with status 0
  bool child_failed = false;  // a child exited otherwise (the loop stops)
};
KillNineLoop run_kill_nine_loop(const std::function<int()>& spawn, int kill_runs, int max_runs, int min_ms,
                                int max_ms, unsigned seed);

// Polls (every 20 ms, up to `seconds`) until a TCP connect to 127.0.0.1:port succeeds.
bool wait_for_port(int port, double seconds = 10);
// Polls until the file exists.
bool wait_for_file(const std::string& path, double seconds = 10);
// A self-signed P-256 certificate for 127.0.0.1: writes cert_path and key_path (PEM).
void write_self_signed_cert(const std::string& cert_path, const std::string& key_path);
// Runs a command, returns its stdout (popen).
std::string run_capture(const std::string& command);

}  // namespace branchcast::test
