// Sender: one notification to one destination through the right provider, over the HttpClient and
// MqttPublisher ports. Owns the FCM OAuth token cache (refreshed once on 401/403 before giving up).
//
// Thread: one thread at a time (the outbox worker or the CLI). send() blocks for the network.
// Never logs; every SendResult::detail is scrubbed of the destination's secrets and addresses.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "common/http_client.h"
#include "notify/crypto.h"
#include "notify/fcm.h"
#include "notify/message.h"
#include "notify/mqtt.h"
#include "notify/provider_url.h"

namespace branchcast {

struct Destination {
  std::string provider_url;                      // may hold ${ENV}; "webpush" for Web Push
  std::optional<std::string> subscription_json;  // Web Push PushSubscription JSON
};

struct SenderOptions {
  std::string fcm_base_url = "https://fcm.googleapis.com";  // fcm://...?base= overrides
  std::optional<std::string> vapid_private_key;             // "file:/path.pem" or PEM text
  std::string vapid_subject;                                // mailto: or https:
  bool verify_tls = true;
  Duration request_timeout{15'000};  // whole request, per provider call
};

// n random bytes. The default draws from OpenSSL's CSPRNG.
using RandomBytes = std::function<std::string(size_t n)>;
RandomBytes system_random_bytes();

// What the outbox sends through (Sender below; tests may use the real Sender over loopback).
class NotificationSender {
 public:
  virtual ~NotificationSender() = default;
  virtual SendResult send(const Destination& d, const Notification& n, TimePoint now) = 0;
};

class Sender final : public NotificationSender {
 public:
  // `mqtt` may be null (mqtt:// then fails permanently). References must outlive the Sender.
  Sender(HttpClient& http, MqttPublisher* mqtt, SecretSource secrets, SenderOptions options, RandomBytes random);

  // Builds, sends and interprets. Configuration errors (bad URL, unset ${VAR}, bad subscription)
  // are kPermanent with a message naming the provider but not the secret.
  SendResult send(const Destination& d, const Notification& n, TimePoint now) override;

 private:
  void apply_options(HttpRequest& req) const;
  SendResult send_webpush(const ProviderTarget& t, const Destination& d, const Notification& n, TimePoint now);
  SendResult send_fcm(const ProviderTarget& t, const Notification& n, TimePoint now);
  SendResult send_mqtt(const ProviderTarget& t, const Notification& n, TimePoint now);
  Result<std::string> fcm_token(const ServiceAccount& sa, TimePoint now, bool force, std::vector<std::string>& secrets);

  HttpClient& http_;
  MqttPublisher* mqtt_;
  SecretSource secrets_;
  SenderOptions options_;
  RandomBytes random_;
  std::map<std::string, OAuthToken> tokens_;  // by client_email + token_uri
  std::optional<std::pair<std::string, P256Key>> vapid_cache_;  // SHA-256 of the PEM, parsed key
};

}  // namespace branchcast
