#include "appliance/commands.h"

namespace branchcast {

Command preview_command() {
  Command c;
  c.name = "preview";
  c.summary = "render the frame a screen would show at a time, to PNG";
  c.usage = "Usage: branchcast preview --config C --screen S --at T --out F.png\n";
  c.valued = {"config", "screen", "at", "out"};
  c.flags = {};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "preview", "issue 3: the screen"); };
  return c;
}

}  // namespace branchcast
