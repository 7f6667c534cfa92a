#include <ostream>

#include "appliance/commands.h"
#include "config/loader.h"

namespace branchcast {

Command schema_command() {
  Command c;
  c.name = "schema";
  c.summary = "JSON Schema of appliance.yaml and playlists (for editors)";
  c.usage =
      "Usage: branchcast schema\n\n"
      "Prints a JSON Schema covering appliance.yaml and playlist files. Point your editor's YAML\n"
      "extension at it, e.g. '# yaml-language-server: $schema=branchcast.schema.json'.\n";
  c.run = [](const Args& args, CommandEnv& env) {
    if (!args.positional().empty()) return usage_error(env, "schema", "takes no arguments");
    env.out << json_schema() << "\n";
    return kExitOk;
  };
  return c;
}

}  // namespace branchcast
