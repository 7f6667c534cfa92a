#include "notify/sender.h"

#include <openssl/rand.h>

#include "common/strings.h"
#include "notify/crypto.h"
#include "notify/email.h"
#include "notify/http_providers.h"
#include "notify/webpush.h"

namespace branchcast {
namespace {

SendResult permanent(std::string detail) {
  SendResult r;
  r.outcome = SendOutcome::kPermanent;
  r.detail = std::move(detail);
  return r;
}

// Refresh the token a little before it expires so a send never races the expiry.
constexpr auto kTokenMargin = std::chrono::minutes(2);

}  // namespace

RandomBytes system_random_bytes() {
  return [](size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) std::abort();
    return out;
  };
}

Sender::Sender(HttpClient& http, MqttPublisher* mqtt, SecretSource secrets, SenderOptions options, RandomBytes random)
    : http_(http), mqtt_(mqtt), secrets_(std::move(secrets)), options_(std::move(options)), random_(std::move(random)) {}

void Sender::apply_options(HttpRequest& req) const {
  req.verify_tls = options_.verify_tls;
  req.total_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(options_.request_timeout);
  req.connect_timeout = std::min(req.connect_timeout, req.total_timeout);
}

SendResult Sender::send(const Destination& d, const Notification& n, TimePoint now) {
  auto target = parse_provider_url(d.provider_url, secrets_);
  if (!target) return permanent(target.error().message);
  const ProviderTarget& t = *target;
  Result<HttpRequest> req = make_error("unsupported provider");
  switch (t.kind) {
    case ProviderKind::kNtfy: req = build_ntfy_request(t, n); break;
    case ProviderKind::kGotify: req = build_gotify_request(t, n); break;
    case ProviderKind::kWebhook: req = build_webhook_request(t, n, now); break;
    case ProviderKind::kEmail: req = build_email_request(t, n, now); break;
    case ProviderKind::kWebPush: return send_webpush(t, d, n, now);
    case ProviderKind::kFcm: return send_fcm(t, n, now);
    case ProviderKind::kMqtt: return send_mqtt(t, n, now);
  }
  // A topic, mailbox or user name is the recipient's address: keep it out of details too.
  std::vector<std::string> hide = t.secrets;
  hide.insert(hide.end(), t.path.begin(), t.path.end());
  if (!t.user.empty()) hide.push_back(t.user);
  if (!req) return permanent(scrub(req.error().message, hide));
  apply_options(*req);
  auto resp = http_.perform(*req);
  SendResult r = interpret_http(resp, now, hide);
  if (t.kind == ProviderKind::kEmail && resp.ok()) {  // SMTP: curl succeeded = the server took it
    r.outcome = SendOutcome::kDelivered;
    r.detail = "SMTP " + std::to_string(resp->status) + ": accepted";
  }
  return r;
}

SendResult Sender::send_webpush(const ProviderTarget& t, const Destination& d, const Notification& n, TimePoint now) {
  if (!d.subscription_json) return permanent("webpush: no subscription (patrons.yaml subscription: or --subscription)");
  auto sub = parse_push_subscription(*d.subscription_json, "webpush subscription");
  if (!sub) return permanent(sub.error().message);
  std::vector<std::string> secrets = t.secrets;
  secrets.push_back(sub->endpoint);
  if (auto q = sub->endpoint.find('/', sub->endpoint.find("://") + 3); q != std::string::npos)
    secrets.push_back(sub->endpoint.substr(q));  // the path is the device's address
  if (!options_.vapid_private_key) return permanent("webpush: notifications.vapid.private_key is not configured");
  std::string pem = *options_.vapid_private_key;
  if (starts_with(pem, "file:")) {
    auto content = secrets_.read_file ? secrets_.read_file(pem.substr(5)) : Result<std::string>(make_error("no files"));
    if (!content) return permanent("webpush: cannot read the VAPID private key file");
    pem = *content;
  }
  // OpenSSL 3's PEM decoder costs milliseconds: parse once per key content.
  std::string digest = sha256(pem);
  if (!vapid_cache_ || vapid_cache_->first != digest) {
    auto parsed = p256_from_pem(pem);
    if (!parsed) return permanent("webpush: VAPID private key: " + parsed.error().message);
    vapid_cache_ = std::make_pair(digest, *parsed);
  }
  const P256Key* vapid = &vapid_cache_->second;
  Result<HttpRequest> req = make_error("webpush: cannot draw an ephemeral key");
  for (int tries = 0; tries < 4 && !req; ++tries) {  // a draw at or above the group order is refused
    std::string eph = random_(32);
    std::string salt = random_(16);
    req = build_webpush_request(*sub, n, *vapid, options_.vapid_subject, now, eph, salt);
    if (!req && req.error().message != "invalid P-256 private key") break;
  }
  if (!req) return permanent(scrub(req.error().message, secrets));
  apply_options(*req);
  return interpret_http(http_.perform(*req), now, secrets);
}

Result<std::string> Sender::fcm_token(const ServiceAccount& sa, TimePoint now, bool force,
                                      std::vector<std::string>& secrets) {
  std::string cache_key = sa.client_email + "\n" + sa.token_uri;
  auto it = tokens_.find(cache_key);
  if (!force && it != tokens_.end() && it->second.expires - kTokenMargin > now) {
    secrets.push_back(it->second.access_token);
    return it->second.access_token;
  }
  auto assertion = fcm_assertion(sa, now);
  if (!assertion) return assertion.error();
  secrets.push_back(*assertion);
  HttpRequest req = build_fcm_token_request(sa, *assertion);
  apply_options(req);
  auto resp = http_.perform(req);
  if (!resp) return make_error("fcm token: " + scrub(resp.error().message, secrets));
  auto tok = parse_token_response(*resp, now, "fcm token");
  if (!tok) return tok.error();
  secrets.push_back(tok->access_token);
  tokens_[cache_key] = *tok;
  return tok->access_token;
}

SendResult Sender::send_fcm(const ProviderTarget& t, const Notification& n, TimePoint now) {
  std::vector<std::string> secrets = t.secrets;
  for (const auto& seg : t.path) secrets.push_back(seg);  // registration tokens identify a device
  std::string key_path = t.query_or("key", "");
  if (key_path.empty()) return permanent(t.display + ": fcm URL needs ?key=/path/service-account.json");
  if (!secrets_.read_file) return permanent(t.display + ": service account files are not available here");
  auto json = secrets_.read_file(key_path);
  if (!json) return permanent(t.display + ": cannot read the service account file");
  auto sa = parse_service_account(*json, "fcm service account");
  if (!sa) return permanent(sa.error().message);
  secrets.push_back(sa->private_key_pem);
  std::string project = t.host.empty() ? sa->project_id : t.host;
  std::string base = t.query_or("base", options_.fcm_base_url);
  std::string target = t.path.empty() ? "" : t.path.front();
  SendResult r;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto token = fcm_token(*sa, now, attempt > 0, secrets);
    if (!token) {
      r.outcome = SendOutcome::kRetry;  // the token endpoint may be down; try again later
      r.detail = scrub(token.error().message, secrets);
      return r;
    }
    auto req = build_fcm_send_request(base, project, target, n, *token);
    if (!req) return permanent(scrub(req.error().message, secrets));
    apply_options(*req);
    r = interpret_http(http_.perform(*req), now, secrets);
    if (r.status != 401 && r.status != 403) break;  // else refresh the token once and retry
  }
  return r;
}

SendResult Sender::send_mqtt(const ProviderTarget& t, const Notification& n, TimePoint now) {
  if (!mqtt_) return permanent(t.display + ": MQTT is not available in this build");
  auto msg = build_mqtt_message(t, n, now);
  if (!msg) return permanent(msg.error().message);
  Status s = mqtt_->publish(*msg);
  SendResult r;
  if (s) {
    r.outcome = SendOutcome::kDelivered;
    r.detail = "MQTT published (qos " + std::to_string(msg->qos) + ")";
  } else {
    r.outcome = SendOutcome::kRetry;
    r.detail = scrub(s.error().message, t.secrets);
  }
  return r;
}

}  // namespace branchcast
