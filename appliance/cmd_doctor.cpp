// `branchcast doctor`: one line per check (ok/warn/fail with a fix), exit 1 when any check fails.
// --offline skips the network and is what the image test runs inside the arm64 rootfs.
#include <filesystem>
#include <ostream>

#include "appliance/commands.h"
#include "appliance/doctor_feeds.h"
#include "common/http_client.h"
#include "config/loader.h"
#include "services/clock_probe.h"
#include "services/doctor_probes.h"
#include "store/database.h"
#include "store/state_database.h"
#include "store/feed_cache_repository.h"

namespace branchcast {
namespace {

// The fetcher's last outcome per feed, from the state database (never created here).
CheckResult feed_check(const ApplianceSettings& settings, CommandEnv& env) {
  std::string db_path = (std::filesystem::path(default_state_dir()) / "branchcast.db").string();
  std::error_code ec;
  std::vector<FeedStatus> statuses;
  if (std::filesystem::is_regular_file(db_path, ec) && inspect_state_database(default_state_dir()).usable) {
    auto db = Database::open(db_path);
    if (db) {
      auto cache = FeedCacheRepository::open(**db);
      if (cache) {
        auto st = (*cache)->statuses();
        if (st) statuses = std::move(*st);
      }
    }
  }
  return check_feed_statuses(settings.feeds, statuses, env.clock.now(), settings.branch.closures_feed);
}

int doctor(const Args& args, CommandEnv& env) {
  auto config = args.get("config");
  if (!config) return usage_error(env, "doctor", "--config is required");
  bool offline = args.has("offline");

  std::vector<CheckResult> results;
  std::error_code ec;
  bool readable = std::filesystem::is_regular_file(*config, ec);
  auto loaded = readable ? load_appliance(*config) : Loaded<ApplianceSettings>{};
  results.push_back(check_config(*config, loaded.errors, readable));
  ApplianceSettings settings;  // defaults when the config is invalid
  if (loaded.ok()) settings = *loaded.settings;

  DisplayFacts display = probe_display();
  display.needs_kms = settings.screens.empty();
  for (const auto& s : settings.screens)
    if (s.output == OutputKind::kAuto || s.output == OutputKind::kKms) display.needs_kms = true;
  results.push_back(check_display(display));

  std::vector<std::string> elements = required_gst_elements();
  elements.insert(elements.end(), optional_gst_elements().begin(), optional_gst_elements().end());
  results.push_back(check_gstreamer(probe_gstreamer(elements)));

  results.push_back(check_bluetooth(probe_bluetooth(), settings.beacon.enabled || settings.presence.enabled));
  results.push_back(check_clock(clock_synchronized()));
  results.push_back(check_disk(probe_disk(default_state_dir())));
  {
    StateDatabaseReport r = inspect_state_database(default_state_dir());
    results.push_back(check_state_database({r.path, r.exists, r.usable, r.folder_writable, r.problem, r.moved_aside}));
  }
  results.push_back(feed_check(settings, env));

  std::vector<HostFacts> hosts;
  if (!offline) {
    auto http = make_curl_http_client();
    for (const auto& f : settings.feeds)
      if (f.url.rfind("http://", 0) == 0 || f.url.rfind("https://", 0) == 0)
        hosts.push_back(probe_feed_host(f.id, f.url, *http));
  }
  results.push_back(check_network(hosts, offline));

  for (const auto& r : results) env.out << format_check(r) << "\n";
  return doctor_exit_code(results);
}

}  // namespace

Command doctor_command() {
  Command c;
  c.name = "doctor";
  c.summary = "check display, GStreamer, Bluetooth, clock, disk, network";
  c.usage =
      "Usage: branchcast doctor --config C [--offline]\n\n"
      "Prints one line per check: ok, warn or fail, and for problems how to fix them.\n"
      "Checks: config validity, display (SDL KMSDRM, /dev/dri), GStreamer elements, Bluetooth\n"
      "adapter (BlueZ on the system bus), clock sync, free space in the state dir, the state\n"
      "database (damaged, unwritable, damaged copies kept aside), and (unless\n"
      "--offline) DNS and reachability of the feed hosts. Exit 0 when nothing fails, 1 otherwise.\n";
  c.valued = {"config"};
  c.flags = {"offline"};
  c.run = doctor;
  return c;
}

}  // namespace branchcast
