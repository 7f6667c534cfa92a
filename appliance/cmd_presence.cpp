// `branchcast presence report`: stored presence counts (formats.md section 3).
#include <filesystem>
#include <ostream>

#include "appliance/commands.h"
#include "ble/presence_report.h"
#include "common/time_zone.h"
#include "config/loader.h"
#include "store/database.h"
#include "store/presence_repository.h"

namespace branchcast {
namespace {

int run(const Args& args, CommandEnv& env) {
  if (args.positional().size() != 1 || args.positional()[0] != "report") {
    return usage_error(env, "presence", "expected 'report'");
  }
  const auto config = args.get("config");
  const auto from_s = args.get("from");
  const auto to_s = args.get("to");
  if (!config || !from_s || !to_s) return usage_error(env, "presence", "--config, --from and --to are required");
  auto loaded = load_appliance(*config);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) env.err << e.to_string() << "\n";
    return kExitInvalid;
  }
  const ApplianceSettings& settings = *loaded.settings;
  auto zone = TimeZone::load(settings.branch.timezone);
  if (!zone) {
    env.err << "branchcast presence: " << zone.error().message << "\n";
    return kExitInvalid;
  }
  auto from = zone->parse_iso(*from_s);
  auto to = zone->parse_iso(*to_s);
  if (!from || !to) {
    env.err << "branchcast presence: " << (!from ? "--from: " + from.error().message : "--to: " + to.error().message) << "\n";
    return kExitInvalid;
  }
  if (*to <= *from) {
    env.err << "branchcast presence: --to must be after --from\n";
    return kExitInvalid;
  }
  std::vector<PresencePeriod> rows;
  const auto path = std::filesystem::path(default_state_dir()) / "branchcast.db";
  // No database yet means nothing was ever counted: an empty report, and no file is created.
  if (std::filesystem::exists(path)) {
    auto db = Database::open(path.string());
    if (!db) {
      env.err << "branchcast presence: " << db.error().to_string() << "\n";
      return kExitInvalid;
    }
    auto repo = PresenceRepository::open(**db);
    if (!repo) {
      env.err << "branchcast presence: " << repo.error().to_string() << "\n";
      return kExitInvalid;
    }
    auto stored = repo->between(*from, *to);
    if (!stored) {
      env.err << "branchcast presence: " << stored.error().to_string() << "\n";
      return kExitInvalid;
    }
    rows = std::move(*stored);
  }
  const int min = settings.presence.min_reported;
  env.out << (args.has("csv") ? ble::presence_csv(rows, *zone, min) : ble::presence_table(rows, *zone, min));
  return kExitOk;
}

}  // namespace

Command presence_command() {
  Command c;
  c.name = "presence";
  c.summary = "stored presence counts";
  c.usage =
      "Usage: branchcast presence report --config C --from T --to T [--csv]\n"
      "Prints the stored device counts of every report period overlapping [from, to): the mean number\n"
      "of devices present near each screen in the period. Counts below presence.min_reported show as\n"
      "'<N'. T is local time in the branch's zone (2026-03-02T09:00) or has an offset.\n";
  c.valued = {"config", "from", "to"};
  c.flags = {"csv"};
  c.run = run;
  return c;
}

}  // namespace branchcast
