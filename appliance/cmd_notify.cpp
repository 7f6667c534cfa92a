#include "appliance/commands.h"

namespace branchcast {

Command notify_command() {
  Command c;
  c.name = "notify";
  c.summary = "send one test notification through a provider";
  c.usage = "Usage: branchcast notify test [--config C] --provider URL [--subscription F] [--title T] [--message M]\n";
  c.valued = {"config", "provider", "subscription", "title", "message"};
  c.flags = {};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "notify", "issue 6: nearby prompts"); };
  return c;
}

}  // namespace branchcast
