#include <ostream>
#include <set>

#include "appliance/commands.h"
#include "appliance/screen_context.h"
#include "scheduler/timeline.h"

namespace branchcast {
namespace {

int simulate(const Args& args, CommandEnv& env) {
  auto config = args.get("config"), screen = args.get("screen"), from = args.get("from"),
       to = args.get("to");
  if (!config || !screen || !from || !to)
    return usage_error(env, "simulate", "--config, --screen, --from and --to are required");

  auto loaded = load_screen_context(*config, *screen, env);
  if (!loaded) return kExitInvalid;
  ScreenContext& ctx = *loaded;
  auto t0 = ctx.inputs.zone.parse_iso(*from);
  auto t1 = ctx.inputs.zone.parse_iso(*to);
  if (!t0 || !t1) {
    env.err << "branchcast simulate: " << (!t0 ? t0.error() : t1.error()).message << "\n";
    return kExitInvalid;
  }
  if (*t1 <= *t0) {
    env.err << "branchcast simulate: --to must be after --from\n";
    return kExitInvalid;
  }
  TimeZone zone = ctx.inputs.zone;
  auto flags = simulation_flags(args, zone);
  if (!flags) return usage_error(env, "simulate", flags.error().message);
  SimulatedContext context = ctx.simulated(*flags, *t0, &env.err);
  Scheduler scheduler(ctx.inputs);
  std::set<std::string> placeholders;
  for (const auto& e : simulate_timeline(scheduler, *t0, *t1, &context)) {
    env.out << format_timeline_line(e, zone) << "\n";
    if (e.showing.length_is_placeholder && e.showing.item) placeholders.insert(e.showing.item->path);
  }
  for (const auto& p : placeholders)
    env.err << "note: length of " << p << " could not be probed; using a "
            << format_seconds(kUnknownVideoLength) << " placeholder\n";
  return kExitOk;
}

}  // namespace

Command simulate_command() {
  Command c;
  c.name = "simulate";
  c.summary = "the timeline a screen would play, one line per item start";
  c.usage =
      "Usage: branchcast simulate --config C --screen S --from T --to T [--presence LEVEL]\n"
      "                           [--override TEXT[@T..T]]\n\n"
      "Prints one tab-separated line per item start: start, rule, kind, item, seconds shown, as\n"
      "`run` started at --from would play them (its proof of play, item for item).\n"
      "T is ISO 8601 local time in the branch's zone (2026-03-02T09:15) or with an offset.\n";
  c.usage += kSimulationFlagsHelp;
  c.valued = {"config", "screen", "from", "to", "presence", "override"};
  c.run = simulate;
  return c;
}

}  // namespace branchcast
