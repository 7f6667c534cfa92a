// Entry point of the `branchcast` binary: dispatches to a subcommand (appliance/commands.h).
#pragma once

#include <string>
#include <vector>

#include "appliance/commands.h"

namespace branchcast {

// argv without the program name. Returns the process exit status.
int run_cli(const std::vector<std::string>& argv, CommandEnv& env);

}  // namespace branchcast
