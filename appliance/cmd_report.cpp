// `branchcast report audience`: proof of play joined with presence counts (services/audience_report.h).
#include <filesystem>
#include <ostream>

#include "appliance/commands.h"
#include "appliance/screen_context.h"
#include "common/time_zone.h"
#include "services/audience_report.h"
#include "store/audience_repository.h"

namespace branchcast {
namespace {

int report(const Args& args, CommandEnv& env) {
  const auto& pos = args.positional();
  if (pos.size() != 1 || pos[0] != "audience") return usage_error(env, "report", "expected `report audience`");
  auto config = args.get("config"), from = args.get("from"), to = args.get("to");
  if (!config || !from || !to) return usage_error(env, "report", "--config, --from and --to are required");

  auto settings = load_appliance_or_report(*config, env);
  if (!settings) return kExitInvalid;
  auto zone = TimeZone::load(settings->branch.timezone);
  if (!zone) {
    env.err << "branchcast report: " << zone.error().message << "\n";
    return kExitInvalid;
  }
  auto t0 = zone->parse_iso(*from), t1 = zone->parse_iso(*to);
  if (!t0 || !t1) {
    env.err << "branchcast report: " << (!t0 ? t0.error() : t1.error()).message << "\n";
    return kExitInvalid;
  }
  if (*t1 <= *t0) {
    env.err << "branchcast report: --to must be after --from\n";
    return kExitInvalid;
  }
  std::string db_path = default_state_dir() + "/branchcast.db";
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) {
    env.err << "branchcast report: no state database at " << db_path
            << " (has the appliance run here? set BRANCHCAST_STATE_DIR)\n";
    return kExitInvalid;
  }
  auto db = Database::open(db_path);
  if (!db) {
    env.err << "branchcast report: " << db.error().to_string() << "\n";
    return kExitInvalid;
  }
  AudienceRepository repo(**db);
  auto plays = repo.plays(*t0, *t1);
  auto presence = repo.presence(*t0, *t1 + std::chrono::hours(24));  // plays near --to run past it
  if (!plays || !presence) {
    env.err << "branchcast report: " << (!plays ? plays.error() : presence.error()).to_string() << "\n";
    return kExitInvalid;
  }
  auto rows = audience_report(*plays, *presence);
  int min_reported = settings->presence.min_reported;
  env.out << (args.has("csv") ? format_audience_csv(rows, min_reported) : format_audience_table(rows, min_reported));
  return kExitOk;
}

}  // namespace

Command report_command() {
  Command c;
  c.name = "report";
  c.summary = "audience report: proof of play joined with presence";
  c.usage =
      "Usage: branchcast report audience --config C --from T --to T [--csv]\n\n"
      "For each item played between --from and --to: how often and how long it played, and how\n"
      "many devices were near while it did (time-weighted mean and peak of the presence counts).\n"
      "Aggregates only; counts below presence.min_reported are shown as <N.\n"
      "CSV columns: screen,item,kind,plays,seconds,devices_avg,devices_peak\n";
  c.valued = {"config", "from", "to"};
  c.flags = {"csv"};
  c.run = report;
  return c;
}

}  // namespace branchcast
