// Interim `run`: until the screen (issue 3) lands, prints each screen's timeline for the next hour.
#include <ostream>

#include "appliance/commands.h"
#include "appliance/screen_context.h"
#include "scheduler/timeline.h"

namespace branchcast {

Command run_command() {
  Command c;
  c.name = "run";
  c.summary = "run the appliance: screens, feeds, beacon, presence, notifications";
  c.usage =
      "Usage: branchcast run --config appliance.yaml [--for 30s] [--snapshots DIR] [--record FILE.webm]\n";
  c.valued = {"config", "for", "snapshots", "record"};
  c.run = [](const Args& args, CommandEnv& env) {
    auto config = args.get("config");
    if (!config) return usage_error(env, "run", "--config is required");
    auto loaded = load_appliance_or_report(*config, env);
    if (!loaded) return kExitInvalid;
    TimePoint now = env.clock.now();
    env.out << "Playback is not available yet: the timeline of the next hour for each screen.\n";
    for (const auto& screen : loaded->screens) {
      auto ctx = load_screen_context(*config, screen.id, env);
      if (!ctx) return kExitInvalid;
      TimeZone zone = ctx->inputs.zone;
      auto events = ctx->events_between(now, now + std::chrono::hours(1));
      Scheduler s(std::move(ctx->inputs));
      s.set_events(std::move(events), now);
      env.out << "== screen " << screen.id << "\n";
      for (const auto& e : simulate_timeline(s, now, now + std::chrono::hours(1)))
        env.out << format_timeline_line(e, zone) << "\n";
    }
    return kExitOk;
  };
  return c;
}

}  // namespace branchcast
