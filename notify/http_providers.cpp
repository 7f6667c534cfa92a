#include "notify/http_providers.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/strings.h"
#include "common/time_zone.h"
#include "notify/crypto.h"

namespace branchcast {
namespace {

std::string base_url(const ProviderTarget& t) { return std::string(t.tls ? "https" : "http") + "://" + t.host; }

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

HttpRequest base_provider_request(std::string url) {
  HttpRequest r;
  r.method = "POST";
  r.url = std::move(url);
  r.connect_timeout = std::chrono::milliseconds(5'000);
  r.total_timeout = std::chrono::milliseconds(15'000);
  r.low_speed_time = std::chrono::seconds(10);
  r.max_bytes = 64 * 1024;
  r.max_redirects = 0;
  r.accept_gzip = false;
  return r;
}

std::string header_safe(std::string_view v) {
  std::string out;
  for (char c : v)
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  return out;
}

std::string rfc2047(std::string_view v) {
  for (unsigned char c : v)
    if (c >= 0x80) return "=?UTF-8?B?" + base64_encode(v) + "?=";
  return std::string(v);
}

Result<HttpRequest> build_ntfy_request(const ProviderTarget& t, const Notification& n) {
  if (t.path.empty()) return make_error(t.display + ": ntfy URL needs a topic (ntfy://host/topic)");
  HttpRequest r = base_provider_request(base_url(t) + "/" + t.path_string());
  r.body = n.message;
  if (!n.title.empty()) r.headers.emplace_back("Title", rfc2047(header_safe(n.title)));
  r.headers.emplace_back("Priority", std::to_string(std::clamp(n.priority, 1, 5)));
  if (!n.tags.empty()) {
    std::string tags;
    for (const auto& tag : n.tags) tags += (tags.empty() ? "" : ",") + header_safe(tag);
    r.headers.emplace_back("Tags", rfc2047(tags));
  }
  if (!n.click.empty()) r.headers.emplace_back("Click", header_safe(n.click));
  std::string token = t.query_or("token", t.user.empty() ? t.password : "");
  if (!token.empty())
    r.headers.emplace_back("Authorization", "Bearer " + header_safe(token));
  else if (!t.user.empty())
    r.headers.emplace_back("Authorization", "Basic " + base64_encode(t.user + ":" + t.password));
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  if (!n.idempotency_key.empty()) r.headers.emplace_back("Idempotency-Key", header_safe(n.idempotency_key));
  return r;
}

Result<HttpRequest> build_gotify_request(const ProviderTarget& t, const Notification& n) {
  if (t.path.empty()) return make_error(t.display + ": gotify URL needs an application token (gotify://host/TOKEN)");
  std::string prefix;
  for (size_t i = 0; i + 1 < t.path.size(); ++i) prefix += "/" + percent_encode(t.path[i]);
  HttpRequest r = base_provider_request(base_url(t) + prefix + "/message");
  nlohmann::json body = {{"title", n.title}, {"message", n.message}, {"priority", std::clamp(n.priority, 1, 5) * 2}};
  if (!n.click.empty()) body["extras"]["client::notification"]["click"]["url"] = n.click;
  r.body = dump(body);
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("X-Gotify-Key", header_safe(t.path.back()));
  if (!n.idempotency_key.empty()) r.headers.emplace_back("Idempotency-Key", header_safe(n.idempotency_key));
  return r;
}

std::string webhook_body(const Notification& n, TimePoint now) {
  nlohmann::json data = {{"title", n.title}, {"message", n.message}, {"priority", n.priority}, {"tags", n.tags}};
  if (!n.click.empty()) data["click"] = n.click;
  nlohmann::json body = {{"type", "prompt.nearby"}, {"timestamp", TimeZone::utc().format_iso(now)}, {"data", data}};
  return dump(body);
}

Result<HttpRequest> build_webhook_request(const ProviderTarget& t, const Notification& n, TimePoint now) {
  auto secret = t.query.find("secret");
  if (secret == t.query.end() || secret->second.empty())
    return make_error(t.display + ": webhook URL needs ?secret=${ENV} (whsec_ + base64)");
  std::string_view s = secret->second;
  if (starts_with(s, "whsec_")) s.remove_prefix(6);
  auto key = base64_decode(s);
  if (!key || key->empty()) return make_error(t.display + ": webhook secret is not whsec_ + base64");
  std::string query;
  for (const auto& [k, v] : t.query)
    if (k != "secret") query += (query.empty() ? "?" : "&") + percent_encode(k) + "=" + percent_encode(v);
  HttpRequest r = base_provider_request(base_url(t) + "/" + t.path_string() + query);
  r.body = webhook_body(n, now);
  std::string id = n.idempotency_key.empty() ? "msg_" + to_hex(reinterpret_cast<const unsigned char*>(sha256(r.body).data()), 12)
                                             : header_safe(n.idempotency_key);
  std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("webhook-id", id);
  r.headers.emplace_back("webhook-timestamp", ts);
  r.headers.emplace_back("webhook-signature", "v1," + base64_encode(hmac_sha256(*key, id + "." + ts + "." + r.body)));
  return r;
}

}  // namespace branchcast
