#include "notify/fcm.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/strings.h"
#include "notify/crypto.h"
#include "notify/http_providers.h"
#include "notify/provider_url.h"

namespace branchcast {
namespace {

int64_t unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

Result<ServiceAccount> parse_service_account(std::string_view json, std::string_view source) {
  std::string src(source);
  if (json.size() > 64 * 1024) return make_error(src + ": service account file larger than 64 KiB");
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return make_error(src + ": service account file is not a JSON object");
  auto get = [&](const char* key) -> std::string {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (auto type = get("type"); !type.empty() && type != "service_account")
    return make_error(src + ": \"type\" is not service_account");
  ServiceAccount sa;
  sa.project_id = get("project_id");
  sa.client_email = get("client_email");
  sa.private_key_pem = get("private_key");
  if (auto uri = get("token_uri"); !uri.empty()) sa.token_uri = uri;
  if (sa.client_email.empty()) return make_error(src + ": missing \"client_email\"");
  if (sa.private_key_pem.find("PRIVATE KEY") == std::string::npos)
    return make_error(src + ": missing or invalid \"private_key\"");
  if (!starts_with(sa.token_uri, "https://") && !starts_with(sa.token_uri, "http://"))
    return make_error(src + ": \"token_uri\" is not an http(s) URL");
  return sa;
}

Result<std::string> fcm_assertion(const ServiceAccount& sa, TimePoint now) {
  nlohmann::json claims = {{"iss", sa.client_email}, {"scope", kFcmScope}, {"aud", sa.token_uri},
                           {"iat", unix_seconds(now)}, {"exp", unix_seconds(now) + 3600}};
  std::string input = base64url_encode(R"({"alg":"RS256","typ":"JWT"})") + "." + base64url_encode(claims.dump());
  auto sig = rs256_sign(sa.private_key_pem, input);
  if (!sig) return make_error("service account private key: " + sig.error().message);
  return input + "." + base64url_encode(*sig);
}

HttpRequest build_fcm_token_request(const ServiceAccount& sa, std::string_view assertion) {
  HttpRequest r = base_provider_request(sa.token_uri);
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  r.body = "grant_type=" + percent_encode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
           "&assertion=" + std::string(assertion);
  return r;
}

Result<OAuthToken> parse_token_response(const HttpResponse& response, TimePoint now, std::string_view source) {
  std::string src(source);
  if (response.status != 200)
    return make_error(src + ": token endpoint answered HTTP " + std::to_string(response.status));
  auto doc = nlohmann::json::parse(response.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return make_error(src + ": token answer is not a JSON object");
  auto tok = doc.find("access_token");
  if (tok == doc.end() || !tok->is_string() || tok->get<std::string>().empty())
    return make_error(src + ": token answer has no access_token");
  int64_t expires_in = 3600;
  if (auto e = doc.find("expires_in"); e != doc.end() && e->is_number_integer())
    expires_in = std::clamp<int64_t>(e->get<int64_t>(), 0, 24 * 3600);
  return OAuthToken{tok->get<std::string>(), now + std::chrono::seconds(expires_in)};
}

Result<HttpRequest> build_fcm_send_request(std::string_view base_url, std::string_view project,
                                           std::string_view target, const Notification& n,
                                           std::string_view access_token) {
  if (project.empty()) return make_error("fcm: missing project id (fcm://project-id/TOKEN?key=...)");
  if (target.empty()) return make_error("fcm: missing registration token or topic:NAME");
  nlohmann::json msg;
  if (starts_with(target, "topic:"))
    msg["topic"] = std::string(target.substr(6));
  else
    msg["token"] = std::string(target);
  msg["notification"] = {{"title", n.title}, {"body", n.message}};
  msg["android"] = {{"ttl", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(n.ttl).count()) + "s"},
                    {"priority", n.priority >= 4 ? "high" : "normal"}};
  if (!n.click.empty()) msg["webpush"]["fcm_options"]["link"] = n.click;
  if (!n.idempotency_key.empty()) msg["data"]["idempotency_key"] = n.idempotency_key;
  HttpRequest r = base_provider_request(std::string(base_url) + "/v1/projects/" + percent_encode(project) +
                                        "/messages:send");
  r.body = nlohmann::json{{"message", msg}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.headers = {{"Content-Type", "application/json; charset=utf-8"},
               {"Authorization", "Bearer " + header_safe(access_token)}};
  return r;
}

}  // namespace branchcast
