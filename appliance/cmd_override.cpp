// `branchcast override`: writes the emergency message to the state database, where the running
// appliance picks it up within a second (services/override_watcher.h).
//
// An emergency must be postable even when appliance.yaml has just been broken by an edit, so the
// config is only read for the branch's time zone (to print the expiry); an invalid config gives a
// warning and UTC, a missing file is an error.
#include <filesystem>
#include <ostream>

#include "appliance/commands.h"
#include "common/time_zone.h"
#include "config/loader.h"
#include "services/override_poke.h"
#include "store/override_repository.h"

namespace branchcast {
namespace {

constexpr size_t kMaxTextBytes = 500;

int override_run(const Args& args, CommandEnv& env) {
  auto config = args.get("config");
  auto text = args.get("text");
  bool clear = args.has("clear");
  if (!config) return usage_error(env, "override", "--config is required");
  if (clear == text.has_value()) return usage_error(env, "override", "give either --text or --clear");
  if (clear && args.has("for")) return usage_error(env, "override", "--for goes with --text");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(*config, ec)) {
    env.err << "branchcast override: " << *config << ": no such file\n";
    return kExitInvalid;
  }
  TimeZone zone = TimeZone::utc();
  auto loaded = load_appliance(*config);
  if (loaded.ok()) {
    if (auto z = TimeZone::load(loaded.settings->branch.timezone)) zone = *z;
  } else {
    env.err << "branchcast override: warning: " << *config
            << " does not validate (see `branchcast validate`); times are shown in UTC\n";
  }

  std::optional<TimePoint> until;
  TimePoint now = env.clock.now();
  if (text) {
    std::string_view t = *text;
    if (t.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      env.err << "branchcast override: --text is empty\n";
      return kExitInvalid;
    }
    if (t.size() > kMaxTextBytes) {
      env.err << "branchcast override: --text is longer than " << kMaxTextBytes << " bytes\n";
      return kExitInvalid;
    }
    if (auto f = args.get("for")) {
      auto d = parse_duration(*f);
      if (!d || d->count() <= 0) {
        env.err << "branchcast override: --for: " << (d ? std::string("must be positive") : d.error().message) << "\n";
        return kExitInvalid;
      }
      until = now + *d;
    }
  }

  std::string db_path = default_state_dir() + "/branchcast.db";
  auto db = Database::open(db_path);
  if (!db) {
    env.err << "branchcast override: " << db.error().to_string() << "\n";
    return kExitInvalid;
  }
  auto repo = OverrideRepository::open(**db);
  if (!repo) {
    env.err << "branchcast override: " << repo.error().to_string() << "\n";
    return kExitInvalid;
  }
  Status s = clear ? repo->clear(now) : repo->set(*text, until, now);
  if (!s) {
    env.err << "branchcast override: " << s.error().to_string() << "\n";
    return kExitInvalid;
  }
  // The running daemon reads the table at once (a lost poke: within its fallback poll, 10 s).
  (void)poke_override(default_state_dir());
  if (clear) {
    env.out << "override cleared: screens return to their playlists within a second\n";
  } else {
    env.out << "override set: every screen shows the message "
            << (until ? "until " + zone.format_iso(*until) : std::string("until `branchcast override --clear`"))
            << "\n";
  }
  return kExitOk;
}

}  // namespace

Command override_command() {
  Command c;
  c.name = "override";
  c.summary = "emergency message on every screen, or clear it";
  c.usage =
      "Usage: branchcast override --config C --text \"...\" [--for 1h] | --clear\n\n"
      "Shows TEXT on every screen of the running appliance (within a second), beating every rule\n"
      "and standby, until --clear or until the --for duration has passed. The message is kept in\n"
      "the state database ($BRANCHCAST_STATE_DIR/branchcast.db), so it survives a restart.\n";
  c.valued = {"config", "text", "for"};
  c.flags = {"clear"};
  c.run = override_run;
  return c;
}

}  // namespace branchcast
