#include "appliance/commands.h"

namespace branchcast {

Command run_command() {
  Command c;
  c.name = "run";
  c.summary = "run the appliance: screens, feeds, beacon, presence, notifications";
  c.usage = "Usage: branchcast run --config appliance.yaml [--for 30s] [--snapshots DIR] [--record FILE.webm]\n";
  c.valued = {"config", "for", "snapshots", "record"};
  c.flags = {};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "run", "issue 3: the screen"); };
  return c;
}

}  // namespace branchcast
