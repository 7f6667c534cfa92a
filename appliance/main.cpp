// The composition root of the `branchcast` binary: real clock, stderr log, the CLI.
#include <exception>
#include <iostream>

#include "appliance/appliance_daemon.h"
#include "appliance/cli.h"

int main(int argc, char** argv) {
  branchcast::limit_malloc_arenas();  // before any thread starts
  std::ios::sync_with_stdio(false);
  branchcast::SystemClock clock;
  branchcast::StderrLogSink log;
  branchcast::CommandEnv env{std::cout, std::cerr, log, clock};
  try {
    int status = branchcast::run_cli(std::vector<std::string>(argv + 1, argv + argc), env);
    std::cout.flush();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "branchcast: fatal: " << e.what() << "\n";
    return 1;
  }
}
