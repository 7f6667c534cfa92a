#include <ostream>
#include <set>
#include <string>

#include "appliance/commands.h"
#include "config/loader.h"

namespace branchcast {

Command validate_command() {
  Command c;
  c.name = "validate";
  c.summary = "check appliance and playlist files, and the files they reference";
  c.usage =
      "Usage: branchcast validate FILE...\n\n"
      "Checks each appliance.yaml, playlist or patrons file, and every file it references\n"
      "(playlists, content files, file: feeds, the patrons file, the VAPID key).\n"
      "Errors are printed one per line as FILE:LINE:COL: error: MESSAGE. Exit 1 on any error.\n"
      "See docs/config.md for every key, its default and meaning.\n";
  c.run = [](const Args& args, CommandEnv& env) {
    if (args.positional().empty()) return usage_error(env, "validate", "no file given");
    size_t errors = 0;
    std::set<std::string> shown;  // a playlist given with its appliance file is checked twice
    for (const auto& file : args.positional()) {
      for (const auto& e : validate_file(file)) {
        std::string line = e.to_string();
        if (!shown.insert(line).second) continue;
        env.err << line << "\n";
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
