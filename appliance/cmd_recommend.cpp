#include "appliance/commands.h"

namespace branchcast {

Command recommend_command() {
  Command c;
  c.name = "recommend";
  c.summary = "ranked recommendations for a screen or a patron, JSON";
  c.usage = "Usage: branchcast recommend --config C (--screen S | --patron P) --at T\n";
  c.valued = {"config", "screen", "patron", "at"};
  c.flags = {};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "recommend", "issue 4: recommendations"); };
  return c;
}

}  // namespace branchcast
