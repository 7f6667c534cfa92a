// `branchcast recommend`: the ranking a screen or an opted-in patron would get at T, as JSON
// (formats.md section 3). Offline: reads the branch's local (file:) feeds only.
#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>

#include "appliance/commands.h"
#include "appliance/local_feeds.h"
#include "appliance/screen_context.h"
#include "common/strings.h"
#include "common/time_zone.h"
#include "config/loader.h"
#include "recommend/picks.h"
#include "recommend/ranker.h"
#include "scheduler/conditions.h"

namespace branchcast {
namespace {

constexpr const char* kName = "recommend";

// Everything the branch's local feeds say (events from a day before `at` to the model's horizon).
Catalogue local_catalogue(const ApplianceSettings& settings, const TimeZone& zone, TimePoint at, CommandEnv& env) {
  return load_local_catalogue(settings, zone, at - std::chrono::days(1), at + std::chrono::days(61), &env.err);
}

std::optional<PatronSettings> find_patron(const ApplianceSettings& settings, const std::string& id, CommandEnv& env) {
  if (!settings.notifications.patrons) {
    env.err << "branchcast recommend: the configuration names no patrons file (notifications.patrons)\n";
    return std::nullopt;
  }
  std::string path = *settings.notifications.patrons;
  if (starts_with(path, "file:")) path = path.substr(5);
  auto loaded = load_patrons(path);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) env.err << e.to_string() << "\n";
    return std::nullopt;
  }
  for (const auto& p : *loaded.settings)
    if (p.id == id) return p;
  // The id is not repeated: patron identifiers stay out of output and logs.
  env.err << "branchcast recommend: no opted-in patron with that id in " << path << "\n";
  return std::nullopt;
}

int recommend(const Args& args, CommandEnv& env) {
  const auto config = args.get("config"), screen = args.get("screen"), patron = args.get("patron"), at = args.get("at");
  if (!config || !at || screen.has_value() == patron.has_value())
    return usage_error(env, kName, "--config, --at and one of --screen or --patron are required");
  auto presence = args.get("presence") ? parse_presence_option(args.get("presence")) : Result<PresenceLevel>(PresenceLevel::kSome);
  if (!presence) return usage_error(env, kName, presence.error().message);
  size_t count = 10;
  if (auto c = args.get("count")) {
    char* end = nullptr;
    const long n = std::strtol(c->c_str(), &end, 10);
    if (c->empty() || *end != '\0' || n < 1 || n > 1000) return usage_error(env, kName, "--count must be 1..1000");
    count = static_cast<size_t>(n);
  }

  auto settings = load_appliance_or_report(*config, env);
  if (!settings) return kExitInvalid;
  auto zone = TimeZone::load(settings->branch.timezone);
  if (!zone) {
    env.err << "branchcast recommend: " << zone.error().message << "\n";
    return kExitInvalid;
  }
  auto now = zone->parse_iso(*at);
  if (!now) {
    env.err << "branchcast recommend: --at: " << now.error().message << "\n";
    return kExitInvalid;
  }

  RankRequest request;
  std::string for_label;
  if (screen) {
    auto it = std::find_if(settings->screens.begin(), settings->screens.end(),
                           [&](const ScreenSettings& s) { return s.id == *screen; });
    if (it == settings->screens.end()) {
      env.err << "branchcast recommend: unknown screen '" << *screen << "'\n";
      return kExitInvalid;
    }
    request = screen_request(*now, *it, *presence);
    for_label = "screen:" + it->id;
  } else {
    auto p = find_patron(*settings, *patron, env);
    if (!p) return kExitInvalid;
    std::vector<std::string> past;
    if (auto ex = args.get("exclude"))
      for (auto& id : split(*ex, ','))
        if (!trim(id).empty()) past.emplace_back(trim(id));
    request = patron_request(*now, p->interests, std::move(past));
    request.presence = *presence;
    for_label = "patron";
  }
  request.count = count;
  if (auto kinds = args.get("kinds"))
    for (auto& k : split(*kinds, ','))
      if (!trim(k).empty()) request.kinds.emplace_back(trim(k));

  // Events on days the branch is closed are not offered (formats.md rule 9).
  const RecommenderModel model = build_model(
      without_closed_branch_events(local_catalogue(*settings, *zone, *now, env), settings->branch, *zone), *now);
  env.out << ranking_json(rank(model, request), for_label, *zone) << "\n";
  return kExitOk;
}

}  // namespace

Command recommend_command() {
  Command c;
  c.name = kName;
  c.summary = "ranked recommendations for a screen or a patron, JSON";
  c.usage =
      "Usage: branchcast recommend --config C (--screen S | --patron P) --at T\n"
      "                            [--presence LEVEL] [--count N] [--kinds K,K] [--exclude ID,ID]\n\n"
      "Prints {\"at\", \"for\", \"items\": [{\"id\", \"kind\", \"title\", \"score\", \"reasons\"}]}, best first\n"
      "(after diversity re-ranking), from the branch's local (file:) feeds and anonymous loans.\n"
      "T is ISO 8601 local time in the branch's zone (2026-03-02T09:15) or with an offset.\n"
      "--presence empty|some|busy: the presence level near the screen (default some).\n"
      "--count N: how many items (default 10). --kinds book,event: only these kinds.\n"
      "--exclude: a patron's past prompts (item ids), never recommended again.\n"
      "For a patron, \"for\" is \"patron\": the patron's id is not printed. A patron's ranking puts items\n"
      "matching their declared authors and subjects first, and adds \"declared\" and, per item,\n"
      "\"relevance\" (2 declared author/subject, 1 ages only, 0 nothing) and \"matched\".\n";
  c.valued = {"config", "screen", "patron", "at", "presence", "count", "kinds", "exclude"};
  c.flags = {};
  c.run = recommend;
  return c;
}

}  // namespace branchcast
