#include "appliance/commands.h"

namespace branchcast {

Command report_command() {
  Command c;
  c.name = "report";
  c.summary = "audience report: proof of play joined with presence";
  c.usage = "Usage: branchcast report audience --config C --from T --to T [--csv]\n";
  c.valued = {"config", "from", "to"};
  c.flags = {"csv"};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "report", "issue 7: the appliance"); };
  return c;
}

}  // namespace branchcast
