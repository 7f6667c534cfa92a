#include "notify/provider_url.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace branchcast {
namespace {

struct Scheme {
  std::string_view name;
  ProviderKind kind;
  bool tls;
};
constexpr Scheme kSchemes[] = {
    {"ntfy", ProviderKind::kNtfy, false},       {"ntfys", ProviderKind::kNtfy, true},
    {"gotify", ProviderKind::kGotify, false},   {"gotifys", ProviderKind::kGotify, true},
    {"webhook+http", ProviderKind::kWebhook, false}, {"webhook+https", ProviderKind::kWebhook, true},
    {"webpush", ProviderKind::kWebPush, true},  {"fcm", ProviderKind::kFcm, true},
    {"mailto", ProviderKind::kEmail, false},    {"mailtos", ProviderKind::kEmail, true},
    {"mqtt", ProviderKind::kMqtt, false},       {"mqtts", ProviderKind::kMqtt, true},
};

bool is_secret_param(const std::string& key) {
  return key == "secret" || key == "token" || key == "password" || key == "auth";
}

// Expands ${NAME}; records expanded values as secrets.
Result<std::string> expand(std::string_view in, const SecretSource& src, const std::string& display,
                           std::vector<std::string>& secrets) {
  std::string out;
  for (size_t i = 0; i < in.size();) {
    if (in[i] == '$' && i + 1 < in.size() && in[i + 1] == '{') {
      auto close = in.find('}', i + 2);
      if (close == std::string_view::npos) return make_error(display + ": unterminated ${ in provider URL");
      std::string name(in.substr(i + 2, close - i - 2));
      if (name.empty()) return make_error(display + ": empty ${} in provider URL");
      auto value = src.env ? src.env(name) : std::nullopt;
      if (!value) return make_error(display + ": environment variable " + name + " is not set");
      secrets.push_back(*value);
      out += *value;
      i = close + 1;
    } else {
      out += in[i++];
    }
  }
  return out;
}

}  // namespace

const char* to_string(ProviderKind k) {
  switch (k) {
    case ProviderKind::kNtfy: return "ntfy";
    case ProviderKind::kGotify: return "gotify";
    case ProviderKind::kWebhook: return "webhook";
    case ProviderKind::kWebPush: return "webpush";
    case ProviderKind::kFcm: return "fcm";
    case ProviderKind::kEmail: return "email";
    case ProviderKind::kMqtt: return "mqtt";
  }
  return "?";
}

SecretSource system_secret_source() {
  SecretSource s;
  s.env = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
  s.read_file = [](const std::string& path) -> Result<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (ss.str().size() > 1024 * 1024) return make_error(path + ": larger than 1 MiB");
    return ss.str();
  };
  return s;
}

std::string ProviderTarget::query_or(const std::string& key, std::string fallback) const {
  auto it = query.find(key);
  return it == query.end() ? fallback : it->second;
}

std::string ProviderTarget::path_string() const {
  std::string out;
  for (const auto& seg : path) out += (out.empty() ? "" : "/") + percent_encode(seg);
  return out;
}

std::string display_url(std::string_view url) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos) return url == "webpush" ? "webpush" : "provider URL";
  auto rest = url.substr(sep + 3);
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  return std::string(url.substr(0, sep)) + "://" + std::string(authority);
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
  auto replace_all = [&](const std::string& s) {
    for (size_t pos = 0; (pos = text.find(s, pos)) != std::string::npos;) {
      text.replace(pos, s.size(), "***");
      pos += 3;
    }
  };
  for (const auto& s : secrets) {
    if (s.size() < 4) continue;
    replace_all(s);
    replace_all(percent_encode(s));  // as it would appear in a URL
  }
  return text;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Result<ProviderTarget> parse_provider_url(std::string_view url, const SecretSource& src) {
  ProviderTarget t;
  t.display = display_url(url);
  if (url == "webpush") {
    t.kind = ProviderKind::kWebPush;
    t.tls = true;
    return t;
  }
  auto sep = url.find("://");
  if (sep == std::string_view::npos) return make_error(t.display + ": not a provider URL (expected scheme://...)");
  std::string scheme = to_lower(url.substr(0, sep));
  const Scheme* found = nullptr;
  for (const auto& s : kSchemes)
    if (s.name == scheme) found = &s;
  if (!found)
    return make_error(t.display + ": unknown provider scheme '" + scheme +
                      "' (ntfy, ntfys, gotify, gotifys, webhook+http, webhook+https, webpush, fcm, mailto, "
                      "mailtos, mqtt)");
  t.kind = found->kind;
  t.tls = found->tls;
  std::string_view rest = url.substr(sep + 3);
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (auto h = rest.find('#'); h != std::string_view::npos) rest = rest.substr(0, h);
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    auto userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    auto user = expand(userinfo.substr(0, colon), src, t.display, t.secrets);
    if (!user) return user.error();
    t.user = percent_decode(*user);
    if (colon != std::string_view::npos) {
      auto pass = expand(userinfo.substr(colon + 1), src, t.display, t.secrets);
      if (!pass) return pass.error();
      t.password = percent_decode(*pass);
      t.secrets.push_back(t.password);
    }
  }
  if (authority.empty() && t.kind != ProviderKind::kFcm) return make_error(t.display + ": missing host");
  auto host = expand(authority, src, t.display, t.secrets);
  if (!host) return host.error();
  t.host = *host;
  for (const auto& seg : split(path, '/')) {
    if (seg.empty()) continue;
    auto e = expand(seg, src, t.display, t.secrets);
    if (!e) return e.error();
    t.path.push_back(percent_decode(*e));
  }
  for (const auto& kv : split(query, '&')) {
    if (kv.empty()) continue;
    auto eq = kv.find('=');
    std::string key = to_lower(percent_decode(kv.substr(0, eq)));
    auto v = expand(eq == std::string::npos ? "" : std::string_view(kv).substr(eq + 1), src, t.display, t.secrets);
    if (!v) return v.error();
    std::string value = percent_decode(*v);
    if (is_secret_param(key)) {
      if (starts_with(value, "file:")) {
        if (!src.read_file) return make_error(t.display + ": secret files are not available here");
        auto content = src.read_file(value.substr(5));
        if (!content) return make_error(t.display + ": cannot read the " + key + " file");
        value = std::string(trim(*content));
      }
      t.secrets.push_back(value);
    }
    t.query[key] = value;
  }
  return t;
}

}  // namespace branchcast
