#include "appliance/commands.h"

namespace branchcast {

Command feeds_command() {
  Command c;
  c.name = "feeds";
  c.summary = "show a feed as normalized JSON";
  c.usage = "Usage: branchcast feeds show --kind K FILE_OR_URL [--from T --to T]\n";
  c.valued = {"kind", "from", "to", "config"};
  c.flags = {};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "feeds", "issue 4: feeds"); };
  return c;
}

}  // namespace branchcast
