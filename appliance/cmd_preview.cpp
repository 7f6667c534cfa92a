#include "appliance/commands.h"
#include "appliance/preview.h"
#include "appliance/screen_context.h"
#include "media/gst_player.h"

#include <ostream>

namespace branchcast {
namespace {

int preview_main(const Args& args, CommandEnv& env) {
  auto config = args.get("config");
  auto screen = args.get("screen");
  auto at = args.get("at");
  auto out = args.get("out");
  if (!config || !screen || !at || !out)
    return usage_error(env, "preview", "--config, --screen, --at and --out are required");
  auto ctx = load_screen_context(*config, *screen, env);
  if (!ctx) return kExitInvalid;
  const TimeZone zone = ctx->inputs.zone;
  auto t = zone.parse_iso(*at);
  if (!t) return usage_error(env, "preview", "--at: " + t.error().message);
  auto flags = simulation_flags(args, zone);
  if (!flags) return usage_error(env, "preview", flags.error().message);
  TimePoint midnight = zone.from_local(zone.to_local(*t).date, Duration(0));
  SimulatedContext context = ctx->simulated(*flags, midnight, &env.err);
  auto image = render_preview(ctx->settings, *screen, ctx->inputs, &context, *t, env.log);
  if (!image) {
    env.err << "branchcast preview: " << image.error().to_string() << "\n";
    return kExitInvalid;
  }
  if (auto st = gst_write_png(*image, *out); !st) {
    env.err << "branchcast preview: " << st.error().message << "\n";
    return kExitInvalid;
  }
  env.out << *out << "\n";
  return kExitOk;
}

}  // namespace

Command preview_command() {
  Command c;
  c.name = "preview";
  c.summary = "render the frame a screen would show at a time, to PNG";
  c.usage =
      "Usage: branchcast preview --config C --screen S --at T --out F.png [--presence LEVEL]\n"
      "                          [--override TEXT[@T..T]]\n"
      "\n"
      "Renders, offscreen, the frame screen S shows at T in the timeline `simulate` gives from\n"
      "00:00 of T's local day (a crossfade in progress shows both items). T is ISO 8601 local time\n"
      "in the branch's zone (2026-03-02T09:15) or with an offset.\n";
  c.usage += kSimulationFlagsHelp;
  c.valued = {"config", "screen", "at", "out", "presence", "override"};
  c.flags = {};
  c.run = preview_main;
  return c;
}

}  // namespace branchcast
