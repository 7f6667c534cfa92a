#include "appliance/commands.h"

namespace branchcast {

Command ble_command() {
  Command c;
  c.name = "ble";
  c.summary = "decode adverts, live scan through BlueZ";
  c.usage = "Usage: branchcast ble decode HEX\n       branchcast ble scan [--for 10s] [--json] [--show-addresses]\n";
  c.valued = {"for"};
  c.flags = {"json", "show-addresses"};
  c.run = [](const Args&, CommandEnv& env) { return not_available_yet(env, "ble", "issue 5: BLE"); };
  return c;
}

}  // namespace branchcast
