// `branchcast feeds show --kind K FILE_OR_URL [--from T --to T] [--config C]`
#include <ostream>

#include "appliance/commands.h"
#include "config/loader.h"
#include "feeds/feed_json.h"
#include "feeds/feed_parser.h"
#include "feeds/feed_source.h"

namespace branchcast {
namespace {

constexpr const char* kUsage =
    "Usage: branchcast feeds show --kind K FILE_OR_URL [--from T --to T] [--config C]\n\n"
    "Prints the feed as normalized JSON: {\"feed\": K, \"items\": [...]}, one item per event\n"
    "occurrence (recurrences expanded in the window) or catalogue title, sorted by start.\n\n"
    "  --kind K     ical, rss, atom, json-events, json-catalogue, json-loans or jsonfeed\n"
    "  --from T     window start (default: now - 1 day)\n"
    "  --to T       window end (default: now + 365 days)\n"
    "  --config C   appliance.yaml: times are read and shown in the branch's zone\n\n"
    "T is ISO 8601 (2026-03-02T09:15, or with an offset). FILE_OR_URL is a local path or an\n"
    "http://, https:// or file: URL (fetched with TLS verified, at most 4 MiB: the feed size limit).\n"
    "Without --config, times are shown in the zone the feed gives, else the system's zone.\n";

// "file:line:col: error: ..." when the error points into the feed, else the bare message.
std::string describe(const Error& e) { return e.where.file.empty() ? e.message : e.to_string(); }

int show(const Args& args, CommandEnv& env) {
  if (args.positional().size() != 2) return usage_error(env, "feeds", "expected: show FILE_OR_URL");
  auto kind_name = args.get("kind");
  if (!kind_name) return usage_error(env, "feeds", "--kind is required");
  auto kind = parse_feed_kind(*kind_name);
  if (!kind) return usage_error(env, "feeds", kind.error().message);
  const std::string& source = args.positional()[1];

  FeedJsonZones zones;
  zones.fallback = TimeZone::system();
  TimeZone input_zone = zones.fallback;
  if (auto config = args.get("config")) {
    auto loaded = load_appliance(*config);
    if (!loaded.ok()) {
      for (const auto& e : loaded.errors) env.err << e.to_string() << "\n";
      return kExitInvalid;
    }
    auto z = TimeZone::load(loaded.settings->branch.timezone);
    if (!z) {
      env.err << "branchcast feeds: " << z.error().message << "\n";
      return kExitInvalid;
    }
    zones.branch = *z;
    input_zone = *z;
  }
  TimePoint now = env.clock.now();
  FeedParseOptions options;
  options.source = display_source(source);
  options.feed_id = "cli";
  options.default_zone = input_zone;
  options.window_start = now - std::chrono::hours(24);
  options.window_end = now + std::chrono::hours(24 * 365);
  for (auto [name, slot] : {std::pair{"from", &options.window_start}, std::pair{"to", &options.window_end}}) {
    if (auto text = args.get(name)) {
      auto t = input_zone.parse_iso(*text);
      if (!t) return usage_error(env, "feeds", "--" + std::string(name) + ": " + t.error().message);
      *slot = *t;
    }
  }
  if (options.window_end <= options.window_start)
    return usage_error(env, "feeds", "--to must be after --from");

  auto http = make_curl_http_client();
  HttpRequest request;
  request.max_bytes = options.max_bytes;
  auto body = read_feed_source(source, *http, request);
  if (!body) {
    env.err << "branchcast feeds: " << describe(body.error()) << "\n";
    return kExitInvalid;
  }
  options.charset = body->charset;
  options.base_url = body->effective_url.empty() ? source : body->effective_url;
  auto parsed = parse_feed(*kind, body->body, options);
  if (!parsed) {
    env.err << "branchcast feeds: " << describe(parsed.error()) << "\n";
    return kExitInvalid;
  }
  for (const auto& w : parsed->warnings) env.err << "branchcast feeds: warning: " << w << "\n";
  if (!parsed->zone.empty() && !zones.branch) {
    if (auto z = TimeZone::load(parsed->zone)) zones.feed = *z;
  }
  env.out << feed_json(*kind, parsed->catalogue, zones);
  return kExitOk;
}

}  // namespace

Command feeds_command() {
  Command c;
  c.name = "feeds";
  c.summary = "show a feed as normalized JSON";
  c.usage = kUsage;
  c.valued = {"kind", "from", "to", "config"};
  c.flags = {};
  c.run = [](const Args& args, CommandEnv& env) {
    if (args.positional().empty() || args.positional()[0] != "show")
      return usage_error(env, "feeds", "expected the subcommand 'show'");
    return show(args, env);
  };
  return c;
}

}  // namespace branchcast
