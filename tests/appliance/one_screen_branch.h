// The smallest branch the daemon tests run (run_daemon_test, run_simulate_test, kill_loop_test):
// branch `b` in UTC with one offscreen 160x90 screen `hall` playing playlist.yaml (each test
// writes its own), followed by `rest`: more screens (list items) and then other top-level
// sections (feeds, health, ...).
#pragma once

#include <string>

namespace branchcast::test_support {

inline std::string one_screen_branch_yaml(const std::string& rest = "") {
  return "branch:\n  id: b\n  name: B\n  timezone: UTC\n"
         "screens:\n  - id: hall\n    output: offscreen\n    resolution: 160x90\n    playlist: playlist.yaml\n" +
         rest;
}

}  // namespace branchcast::test_support
