#include "notify/webpush.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "notify/http_providers.h"

namespace branchcast {

Result<PushSubscription> parse_push_subscription(std::string_view json, std::string_view source) {
  std::string src(source);
  if (json.size() > 8192) return make_error(src + ": subscription larger than 8 KiB");
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return make_error(src + ": subscription is not a JSON object");
  auto str = [&](const nlohmann::json& obj, const char* key) -> std::optional<std::string> {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  auto endpoint = str(doc, "endpoint");
  if (!endpoint || !(starts_with(*endpoint, "https://") || starts_with(*endpoint, "http://")))
    return make_error(src + ": subscription needs an http(s) \"endpoint\"");
  auto keys = doc.find("keys");
  if (keys == doc.end() || !keys->is_object()) return make_error(src + ": subscription has no \"keys\" object");
  auto p256 = str(*keys, "p256dh");
  auto auth = str(*keys, "auth");
  if (!p256 || !auth) return make_error(src + ": subscription keys need \"p256dh\" and \"auth\"");
  auto p = base64_decode(*p256);
  if (!p || p->size() != 65 || (*p)[0] != 0x04)
    return make_error(src + ": keys.p256dh is not a base64url uncompressed P-256 point");
  auto a = base64_decode(*auth);
  if (!a || a->size() != 16) return make_error(src + ": keys.auth is not 16 bytes of base64url");
  return PushSubscription{*endpoint, *p, *a};
}

Result<std::string> webpush_encrypt(std::string_view plaintext, std::string_view ua_public65,
                                    std::string_view auth_secret16, std::string_view as_private32,
                                    std::string_view salt16, uint32_t rs) {
  if (auth_secret16.size() != 16 || salt16.size() != 16) return make_error("web push: bad auth secret or salt size");
  if (plaintext.size() + 1 + 16 > rs) return make_error("web push: payload too large for one record");
  auto as = p256_from_private(as_private32);
  if (!as) return as.error();
  auto ecdh = p256_ecdh(as_private32, ua_public65);
  if (!ecdh) return ecdh.error();
  std::string key_info = std::string("WebPush: info") + '\0' + std::string(ua_public65) + as->public_key;
  std::string ikm = hkdf_expand(hkdf_extract(auth_secret16, *ecdh), key_info, 32);
  std::string prk = hkdf_extract(salt16, ikm);
  std::string cek = hkdf_expand(prk, std::string("Content-Encoding: aes128gcm") + '\0', 16);
  std::string nonce = hkdf_expand(prk, std::string("Content-Encoding: nonce") + '\0', 12);
  auto sealed = aes128gcm_seal(cek, nonce, std::string(plaintext) + '\x02');
  if (!sealed) return sealed.error();
  std::string header(salt16);
  for (int shift = 24; shift >= 0; shift -= 8) header += static_cast<char>((rs >> shift) & 0xff);
  header += static_cast<char>(as->public_key.size());
  header += as->public_key;
  return header + *sealed;
}

Result<std::string> endpoint_origin(std::string_view endpoint) {
  auto sep = endpoint.find("://");
  if (sep == std::string_view::npos) return make_error("web push endpoint is not a URL");
  auto end = endpoint.find_first_of("/?#", sep + 3);
  std::string origin(endpoint.substr(0, end));
  if (origin.size() <= sep + 3) return make_error("web push endpoint has no host");
  return origin;
}

Result<std::string> vapid_jwt(const P256Key& vapid, std::string_view audience, std::string_view subject,
                              TimePoint expires) {
  nlohmann::json claims = {{"aud", audience},
                           {"exp", std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count()},
                           {"sub", subject}};
  std::string signing_input = base64url_encode(R"({"typ":"JWT","alg":"ES256"})") + "." + base64url_encode(claims.dump());
  auto sig = es256_sign(vapid.private_key, signing_input);
  if (!sig) return sig.error();
  return signing_input + "." + base64url_encode(*sig);
}

std::string webpush_payload(const Notification& n) {
  nlohmann::json j = {{"title", n.title}, {"body", n.message}, {"url", n.click}, {"tags", n.tags}};
  auto dump = [&] { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
  std::string out = dump();
  std::string body = n.message;
  while (out.size() > kWebPushMaxPlaintext && !body.empty()) {
    size_t cut = body.size() - std::min(body.size(), out.size() - kWebPushMaxPlaintext + 3);
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    body = body.substr(0, cut);
    j["body"] = body + "...";
    out = dump();
    if (cut == 0) break;
  }
  return out;
}

Result<HttpRequest> build_webpush_request(const PushSubscription& sub, const Notification& n,
                                          const P256Key& vapid, std::string_view subject, TimePoint now,
                                          std::string_view ephemeral_private32, std::string_view salt16) {
  auto body = webpush_encrypt(webpush_payload(n), sub.p256dh, sub.auth, ephemeral_private32, salt16);
  if (!body) return body.error();
  auto aud = endpoint_origin(sub.endpoint);
  if (!aud) return aud.error();
  auto jwt = vapid_jwt(vapid, *aud, subject, now + std::chrono::hours(12));
  if (!jwt) return jwt.error();
  HttpRequest r = base_provider_request(sub.endpoint);
  r.body = std::move(*body);
  const char* urgency = n.priority <= 1 ? "very-low" : n.priority == 2 ? "low" : n.priority == 3 ? "normal" : "high";
  r.headers = {{"Content-Type", "application/octet-stream"},
               {"Content-Encoding", "aes128gcm"},
               {"TTL", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(n.ttl).count())},
               {"Urgency", urgency},
               {"Authorization", "vapid t=" + *jwt + ", k=" + base64url_encode(vapid.public_key)}};
  if (!n.idempotency_key.empty())
    r.headers.emplace_back("Topic", base64url_encode(sha256(n.idempotency_key)).substr(0, 32));
  return r;
}

}  // namespace branchcast
