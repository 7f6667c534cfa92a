// patrons.yaml (formats.md section 5) -> PatronSettings. The Reader redacts: no message quotes a
// value from this file (keys, ids and provider addresses identify or protect a patron).
#include <map>

#include "common/strings.h"
#include "config/loader_internal.h"
#include "config/loader_values.h"

namespace branchcast {
namespace {

constexpr int64_t kMaxEpoch = 4'102'444'800;  // 2100-01-01T00:00:00Z

bool is_patron_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

// The browser's PushSubscription JSON, rebuilt from YAML: {"endpoint": ..., "keys": {...}}.
std::optional<std::string> subscription(Reader& r, const YAML::Node& n) {
  Fields f(r, n, {"endpoint", "keys", "expirationTime"}, "subscription");
  if (!f.valid()) return std::nullopt;
  std::optional<std::string> endpoint, p256dh, auth;
  if (f.require("endpoint")) {
    endpoint = r.text(f.get("endpoint"), "endpoint");
    if (endpoint && !starts_with(*endpoint, "https://")) {
      r.error(f.get("endpoint"), "'endpoint' must be an https:// URL");
      endpoint.reset();
    }
  }
  if (f.require("keys")) {
    Fields k(r, f.get("keys"), {"p256dh", "auth"}, "keys");
    if (k.valid()) {
      if (k.require("p256dh")) p256dh = r.text(k.get("p256dh"), "p256dh");
      if (k.require("auth")) auth = r.text(k.get("auth"), "auth");
    }
  }
  if (!endpoint || !p256dh || !auth) return std::nullopt;
  return "{\"endpoint\":" + json_quote(*endpoint) + ",\"keys\":{\"p256dh\":" + json_quote(*p256dh) +
         ",\"auth\":" + json_quote(*auth) + "}}";
}

void interests(Reader& r, const YAML::Node& n, PatronInterests& in) {
  Fields f(r, n, {"authors", "subjects", "ages"}, "interests");
  if (!f.valid()) return;
  if (f.has("authors"))
    if (auto v = r.text_list(f.get("authors"), "authors")) in.authors = *v;
  if (f.has("subjects"))
    if (auto v = r.text_list(f.get("subjects"), "subjects")) in.subjects = *v;
  if (f.has("ages"))
    if (auto v = r.text(f.get("ages"), "ages")) in.ages = *v;
}

void patron(Reader& r, const YAML::Node& n, PatronSettings& p) {
  Fields f(r, n, {"id", "key", "epoch", "rotation", "notify", "subscription", "interests"}, "patron");
  if (!f.valid()) return;
  if (f.require("id")) {
    YAML::Node id = f.get("id");
    if (auto v = r.text(id, "id")) {
      if (is_patron_id(*v)) p.id = *v;
      else r.error(id, "'id' must be 1-64 characters of letters, digits, '-', '_' and '.'");
    }
  }
  if (f.require("key")) {
    YAML::Node k = f.get("key");
    if (auto v = r.text(k, "key")) {
      auto key = parse_patron_key(*v);
      if (key) p.key = *key;
      else r.error(k, key.error().message);
    }
  }
  if (f.require("epoch"))
    if (auto v = r.integer(f.get("epoch"), "epoch", 0, kMaxEpoch)) p.epoch = *v;
  if (f.has("rotation"))
    if (auto v = r.integer(f.get("rotation"), "rotation", 0, 15)) p.rotation = static_cast<int>(*v);
  if (f.require("notify")) {
    YAML::Node u = f.get("notify");
    if (auto v = r.text(u, "notify")) {
      auto ok = check_notify_url(*v, true);
      if (ok) p.notify = *v;
      else r.error(u, "'notify': " + ok.error().message);
    }
  }
  bool webpush = notify_scheme(p.notify) == "webpush";
  if (f.has("subscription")) {
    if (!webpush) r.error(f.get("subscription"), "'subscription' is only used with 'notify: webpush'");
    else p.subscription_json = subscription(r, f.get("subscription"));
  } else if (webpush) {
    r.error(n, "'notify: webpush' needs a 'subscription' (the browser's PushSubscription)");
  }
  if (f.has("interests")) interests(r, f.get("interests"), p.interests);
}

}  // namespace

std::optional<std::vector<PatronSettings>> parse_patrons(const YAML::Node& root, Reader& r) {
  size_t before = r.diag().count();
  std::vector<PatronSettings> out;
  if (!r.expect_seq(root, "patrons file")) return std::nullopt;
  std::map<std::string, int> ids;  // id -> line
  for (const auto& e : root) {
    if (!r.visit(e)) break;
    PatronSettings p;
    patron(r, e, p);
    if (!p.id.empty()) {
      auto [it, fresh] = ids.emplace(p.id, e.Mark().line + 1);
      if (!fresh) r.error(e, "duplicate patron id (first at line " + std::to_string(it->second) + ")");
    }
    out.push_back(std::move(p));
  }
  if (r.diag().count() != before) return std::nullopt;
  return out;
}

}  // namespace branchcast
