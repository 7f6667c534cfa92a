#include <ostream>

#include "appliance/commands.h"
#include "config/loader.h"

namespace branchcast {

Command validate_command() {
  Command c;
  c.name = "validate";
  c.summary = "check appliance and playlist files, and the files they reference";
  c.usage =
      "Usage: branchcast validate FILE...\n\n"
      "Checks each appliance.yaml, playlist or patrons file, and every file it references.\n"
      "Errors are printed one per line as FILE:LINE:COL: error: MESSAGE. Exit 1 on any error.\n";
  c.run = [](const Args& args, CommandEnv& env) {
    if (args.positional().empty()) return usage_error(env, "validate", "no file given");
    size_t errors = 0;
    for (const auto& file : args.positional()) {
      for (const auto& e : validate_file(file)) {
        env.err << e.to_string() << "\n";
        ++errors;
      }
    }
    if (errors > 0) {
      env.err << errors << (errors == 1 ? " error\n" : " errors\n");
      return kExitInvalid;
    }
    env.out << "ok: " << args.positional().size()
            << (args.positional().size() == 1 ? " file" : " files") << " valid\n";
    return kExitOk;
  };
  return c;
}

}  // namespace branchcast
