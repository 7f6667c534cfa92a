#include "appliance/commands.h"

namespace branchcast {

Command doctor_command() {
  Command c;
  c.name = "doctor";
  c.summary = "check display, GStreamer, Bluetooth, clock, disk, network";
  c.usage = "Usage: branchcast doctor --config C [--offline]\n";
  c.valued = {"config"};
  c.flags = {"offline"};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "doctor", "issue 7: the appliance"); };
  return c;
}

}  // namespace branchcast
