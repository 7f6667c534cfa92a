#include "appliance/cli.h"

#include <ostream>
#include <vector>

namespace branchcast {
namespace {

std::vector<Command> all_commands() {
  return {run_command(),     validate_command(),  simulate_command(), preview_command(), schedule_command(),
          feeds_command(),   recommend_command(), ble_command(),      presence_command(),
          notify_command(),  override_command(),  doctor_command(),   schema_command(),
          patron_sim_command(), report_command(), sync_command()};
}

void print_help(std::ostream& out, const std::vector<Command>& commands) {
  out << "Usage: branchcast COMMAND [OPTIONS]\n\n"
         "Branchcast: digital signage, beacon and nearby prompts for a library branch.\n\n"
         "Commands:\n";
  for (const auto& c : commands) {
    std::string pad(c.name.size() < 12 ? 12 - c.name.size() : 1, ' ');
    out << "  " << c.name << pad << c.summary << "\n";
  }
  out << "\nRun 'branchcast COMMAND --help' for a command's options.\n"
         "Exit status: 0 success, 1 invalid input, 2 usage error.\n";
}

}  // namespace

int not_available_yet(CommandEnv& env, const std::string& name, const std::string& issue) {
  env.err << "branchcast " << name << ": not available yet (" << issue << ")\n";
  return kExitUsage;
}

int usage_error(CommandEnv& env, const std::string& name, const std::string& message) {
  env.err << "branchcast " << name << ": " << message << "\n"
          << "Try 'branchcast " << name << " --help'.\n";
  return kExitUsage;
}

int run_cli(const std::vector<std::string>& argv, CommandEnv& env) {
  auto commands = all_commands();
  if (argv.empty()) {
    print_help(env.err, commands);
    return kExitUsage;
  }
  const std::string& name = argv[0];
  if (name == "--help" || name == "-h" || name == "help") {
    print_help(env.out, commands);
    return kExitOk;
  }
  if (name == "--version") {
    env.out << "branchcast " BRANCHCAST_VERSION "\n";
    return kExitOk;
  }
  for (const auto& c : commands) {
    if (c.name != name) continue;
    std::vector<std::string> rest(argv.begin() + 1, argv.end());
    auto args = Args::parse(rest, c.valued, c.flags);
    if (!args) return usage_error(env, c.name, args.error().message);
    if (args->has("help")) {
      env.out << c.usage;
      return kExitOk;
    }
    return c.run(*args, env);
  }
  env.err << "branchcast: unknown command '" << name << "'\n";
  print_help(env.err, commands);
  return kExitUsage;
}

}  // namespace branchcast
