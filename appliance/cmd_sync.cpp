// `branchcast sync`: one content sync from the configured source (docs/services.md, "Content
// sync"), for branchcast-sync.timer and for staff at a shell. Prints one line:
//   unchanged (version N)
//   synced version N (F files, B bytes, R reused)
// or, on stderr, "branchcast sync: <error naming the source>". Exit 0 when the content is
// current (synced or unchanged), 1 when the sync was refused or failed (the content in use is
// kept), 2 on a usage error. A version whose appliance.yaml does not validate (the checks of
// `branchcast validate`, and everything inside the version) is refused and kept aside as
// versions/<n>.refused.
#include <fstream>
#include <ostream>
#include <sstream>

#include "appliance/commands.h"
#include "common/http_client.h"
#include "services/content_source_url.h"
#include "services/content_sync.h"
#include "services/content_versions.h"
#include "services/git_content_source.h"
#include "services/http_content_source.h"

namespace branchcast {
namespace {

constexpr const char* kDefaultSourceFile = "/data/branchcast/config-source";
constexpr const char* kDefaultDest = "/data/branchcast/content";

// "200M", "1G", "0", "4096": bytes with an optional K/M/G (binary) suffix.
std::optional<uint64_t> parse_size(const std::string& s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  size_t digits = s.find_first_not_of("0123456789");
  if (digits == 0) return std::nullopt;
  uint64_t n = std::stoull(s.substr(0, digits));
  if (digits == std::string::npos) return n;
  if (digits + 1 != s.size()) return std::nullopt;
  switch (s.back()) {
    case 'K': return n << 10;
    case 'M': return n << 20;
    case 'G': return n << 30;
    default: return std::nullopt;
  }
}

int sync_run(const Args& args, CommandEnv& env) {
  auto fail = [&](const std::string& message) {
    env.err << "branchcast sync: " << message << "\n";
    return kExitInvalid;
  };
  if (args.has("source") && args.has("source-file")) return usage_error(env, "sync", "give --source or --source-file, not both");
  std::string text;
  if (auto s = args.get("source")) {
    text = *s;
  } else {
    std::string file = args.get("source-file").value_or(kDefaultSourceFile);
    std::ifstream in(file);
    if (!in) return fail(file + ": cannot read the content source (provisioning writes it from CONFIG_SOURCE)");
    std::getline(in, text);  // one line; the URL is never printed (it may carry a token)
  }
  SyncOptions options;
  options.validate = validate_content_version;  // nothing invalid becomes current
  if (auto r = args.get("reserve")) {
    auto bytes = parse_size(*r);
    if (!bytes) return usage_error(env, "sync", "--reserve takes bytes with an optional K, M or G suffix");
    options.reserve_bytes = *bytes;
  }
  ContentSourceUrlOptions url_options;
  url_options.allow_plain_http = args.has("allow-http");
  auto url = parse_content_source_url(text, url_options);
  if (!url) return fail(url.error().message);
  const std::string dest = args.get("dest").value_or(kDefaultDest);

  Result<SyncOutcome> outcome = make_error("no source");
  switch (url->kind) {
    case ContentSourceUrl::Kind::kFolder:
      outcome = sync_content_from_folder(url->folder, dest, options);
      break;
    case ContentSourceUrl::Kind::kHttp: {
      auto http = make_curl_http_client();
      HttpContentSource source(*url, *http, dest);
      outcome = sync_content(source, dest, options);
      break;
    }
    case ContentSourceUrl::Kind::kGit: {
      auto source = make_git_content_source(*url, dest);
      outcome = sync_content(*source, dest, options);
      break;
    }
  }
  if (!outcome) {
    const std::string& m = outcome.error().message;
    return fail(m.rfind(url->display, 0) == 0 ? m : url->display + ": " + m);
  }
  const int version = current_version(dest);
  if (!outcome->changed) {
    env.out << "unchanged (version " << version << ")\n";
  } else {
    env.out << "synced version " << version << " (" << outcome->files << " files, " << outcome->bytes << " bytes, "
            << outcome->reused << " reused)\n";
  }
  return kExitOk;
}

}  // namespace

Command sync_command() {
  Command c;
  c.name = "sync";
  c.summary = "fetch, verify and swap in the content from a folder, HTTPS bundle or Git remote";
  c.usage =
      "Usage: branchcast sync [--source URL | --source-file F] [--dest DIR] [--reserve SIZE] [--allow-http]\n\n"
      "One content sync. URL: /folder, file:///folder, https://host/path (a bundle: path/MANIFEST.sha256\n"
      "and the files it lists), git+https://host/repo[#branch-or-tag] or git+file:///repo[#ref].\n"
      "Default: the first line of --source-file (default /data/branchcast/config-source).\n"
      "DIR (default /data/branchcast/content) receives versions/N and the symlink `current`;\n"
      "run the appliance with --config DIR/current/appliance.yaml.\n"
      "--reserve: free space to keep (default 200M; K, M, G suffixes). --allow-http: plain http://\n"
      "to a host that is not loopback (never for production: the bundle is only as safe as its\n"
      "manifest's transport).\n"
      "A version is made current only when its appliance.yaml passes `branchcast validate` with\n"
      "everything it references inside the version; a refused one is kept as versions/N.refused.\n"
      "Versions a running daemon plays are never removed.\n"
      "Prints 'unchanged (version N)' or 'synced version N (F files, B bytes, R reused)'.\n"
      "Exit 0: content current; 1: sync refused or failed (the content in use is kept); 2: usage.\n";
  c.valued = {"source", "source-file", "dest", "reserve"};
  c.flags = {"allow-http"};
  c.run = sync_run;
  return c;
}

}  // namespace branchcast
