#include "appliance/commands.h"

namespace branchcast {

Command override_command() {
  Command c;
  c.name = "override";
  c.summary = "emergency message on every screen, or clear it";
  c.usage = "Usage: branchcast override --config C --text \"...\" [--for 1h] | --clear\n";
  c.valued = {"config", "text", "for"};
  c.flags = {"clear"};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "override", "issue 7: the appliance"); };
  return c;
}

}  // namespace branchcast
