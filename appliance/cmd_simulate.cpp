#include "appliance/commands.h"

namespace branchcast {

Command simulate_command() {
  Command c;
  c.name = "simulate";
  c.summary = "the timeline a screen would play, one line per item start";
  c.usage = "Usage: branchcast simulate --config C --screen S --from T --to T\n";
  c.valued = {"config", "screen", "from", "to", "presence"};
  c.flags = {};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "simulate", "issue 2"); };
  return c;
}

}  // namespace branchcast
