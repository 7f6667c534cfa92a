#include "appliance/commands.h"

namespace branchcast {

Command patron_sim_command() {
  Command c;
  c.name = "patron-sim";
  c.summary = "print the Eddystone-EID advert a patron's phone would send";
  c.usage = "Usage: branchcast patron-sim --key HEX --epoch N --rotation K [--at T]\n";
  c.valued = {"key", "epoch", "rotation", "at"};
  c.flags = {};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "patron-sim", "issue 6: nearby prompts"); };
  return c;
}

}  // namespace branchcast
