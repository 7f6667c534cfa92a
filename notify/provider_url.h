// Provider URLs (formats.md section 4), Apprise-style: the scheme picks the provider.
//
// Secrets are written as ${ENV_NAME} anywhere in the URL, or as a `file:/path` value of a secret
// query parameter (secret=, token=, password=); they are expanded at send time through an injected
// SecretSource, so this file stays pure. Every expanded value is recorded in ProviderTarget::secrets
// and scrub() removes them from any text; `display` never holds user info, path or query (a
// patron's topic or mailbox is their address, so it never reaches a log either).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/strings.h"  // percent_encode

namespace branchcast {

enum class ProviderKind { kNtfy, kGotify, kWebhook, kWebPush, kFcm, kEmail, kMqtt };
const char* to_string(ProviderKind k);

// Where secrets come from. Both functions may be called from the sending thread only.
struct SecretSource {
  std::function<std::optional<std::string>(const std::string& name)> env;  // getenv-like
  std::function<Result<std::string>(const std::string& path)> read_file;   // whole file
};
// The process environment and the file system (for the composition root and the CLI).
SecretSource system_secret_source();

struct ProviderTarget {
  ProviderKind kind = ProviderKind::kNtfy;
  bool tls = false;                // ntfys://, gotifys://, webhook+https://, mailtos://
  std::string host;                // host[:port], as written
  std::string user;                // expanded
  std::string password;            // expanded
  std::vector<std::string> path;   // segments after the host, percent-decoded and expanded
  std::map<std::string, std::string> query;  // expanded; secret file: values already read
  std::string display;             // "ntfy://host": safe for logs and errors
  std::vector<std::string> secrets;  // every expanded secret value (for scrub)

  std::string query_or(const std::string& key, std::string fallback) const;
  std::string path_string() const;  // "a/b/c" (re-encoded)
};

// Parses and expands. Fails with a message naming `display` (never the secret) when the scheme is
// unknown, the host is missing, a ${VAR} is not set or a secret file cannot be read.
Result<ProviderTarget> parse_provider_url(std::string_view url, const SecretSource& secrets);

// The part of a URL template that is safe to show ("scheme://host").
std::string display_url(std::string_view url);

// Replaces every occurrence of each secret (of 4+ characters) in text with "***".
std::string scrub(std::string text, const std::vector<std::string>& secrets);

std::string percent_decode(std::string_view s);

}  // namespace branchcast
