// The subcommands of `branchcast` (formats.md section 3). One file per command: cmd_<name>.cpp
// defines `<name>_command()`. The table in cli.cpp lists them all.
//
// Exit status: 0 success, 1 invalid input (with a message on stderr), 2 usage error.
#pragma once

#include <iosfwd>
#include <set>
#include <string>

#include "appliance/args.h"
#include "common/clock.h"
#include "common/log.h"

namespace branchcast {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;
inline constexpr int kExitUsage = 2;

// What a command may touch: its streams, the log and the clock. Injected by main().
struct CommandEnv {
  std::ostream& out;
  std::ostream& err;
  LogSink& log;
  const Clock& clock;
};

struct Command {
  std::string name;      // "run", "ble", ...
  std::string summary;   // one line for `branchcast --help`
  std::string usage;     // full --help text (starts with the usage line)
  std::set<std::string> valued;  // options taking a value
  std::set<std::string> flags;   // options without a value
  int (*run)(const Args& args, CommandEnv& env) = nullptr;
};

Command run_command();
Command validate_command();
Command simulate_command();
Command schedule_command();
Command preview_command();
Command feeds_command();
Command recommend_command();
Command ble_command();
Command presence_command();
Command notify_command();
Command override_command();
Command doctor_command();
Command schema_command();
Command patron_sim_command();
Command report_command();
Command sync_command();

// For commands a later issue implements: prints "branchcast NAME: not available yet (ISSUE)" to
// env.err and returns kExitUsage.
int not_available_yet(CommandEnv& env, const std::string& name, const std::string& issue);

// Prints "branchcast NAME: MESSAGE" and a hint to use --help, returns kExitUsage.
int usage_error(CommandEnv& env, const std::string& name, const std::string& message);

}  // namespace branchcast
