// Runs `branchcast` subcommands in-process with captured output, for CLI tests of every module.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "appliance/cli.h"

namespace branchcast::test_support {

struct Cli {
  std::ostringstream out, err;
  SystemClock clock;
  NullLogSink log;
  // Returns the exit status; out and err hold what this run printed.
  int run(std::vector<std::string> argv) {
    out.str("");
    err.str("");
    CommandEnv env{out, err, log, clock};
    return run_cli(argv, env);
  }
};

}  // namespace branchcast::test_support
