#include "appliance/commands.h"

namespace branchcast {

Command presence_command() {
  Command c;
  c.name = "presence";
  c.summary = "stored presence counts";
  c.usage = "Usage: branchcast presence report --config C --from T --to T [--csv]\n";
  c.valued = {"config", "from", "to"};
  c.flags = {"csv"};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "presence", "issue 5: BLE"); };
  return c;
}

}  // namespace branchcast
