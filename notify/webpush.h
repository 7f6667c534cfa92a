// Web Push: RFC 8291 message encryption (aes128gcm, RFC 8188) and RFC 8292 VAPID. Pure: the
// ephemeral key and salt are passed in (the Sender draws them from its injected random source).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/http_client.h"
#include "notify/crypto.h"
#include "notify/message.h"

namespace branchcast {

// A browser's PushSubscription, keys decoded (p256dh 65 bytes, auth 16 bytes).
struct PushSubscription {
  std::string endpoint;  // https:// (http:// accepted for loopback tests only by the caller)
  std::string p256dh;
  std::string auth;
};

// Parses {"endpoint": ..., "keys": {"p256dh": ..., "auth": ...}} (other members ignored). Input is
// capped at 8 KiB. Errors start with `source` and never quote the keys or the endpoint.
Result<PushSubscription> parse_push_subscription(std::string_view json, std::string_view source);

// RFC 8291 section 3.4: one aes128gcm record (plaintext || 0x02, no padding) with the header
// salt || rs || idlen || as_public. Fails when the keys are invalid or the plaintext does not fit
// one record of `rs` bytes.
Result<std::string> webpush_encrypt(std::string_view plaintext, std::string_view ua_public65,
                                    std::string_view auth_secret16, std::string_view as_private32,
                                    std::string_view salt16, uint32_t rs = 4096);

// "https://push.example.net" from an endpoint URL (the VAPID audience).
Result<std::string> endpoint_origin(std::string_view endpoint);

// RFC 8292 JWT (ES256): {"aud", "exp", "sub"}.
Result<std::string> vapid_jwt(const P256Key& vapid, std::string_view audience, std::string_view subject,
                              TimePoint expires);

// The largest plaintext a single 4096-byte push message carries (4096 - 86 header - 16 tag - 1).
inline constexpr size_t kWebPushMaxPlaintext = 3993;

// The JSON payload a service worker receives: {"title", "body", "url", "tags"}; the message is
// shortened (on a UTF-8 boundary) to fit kWebPushMaxPlaintext.
std::string webpush_payload(const Notification& n);

// POST endpoint with Content-Encoding: aes128gcm, TTL, Urgency (from priority), Topic (from the
// idempotency key, so a resend replaces a pending copy) and Authorization: vapid t=JWT, k=KEY.
Result<HttpRequest> build_webpush_request(const PushSubscription& sub, const Notification& n,
                                          const P256Key& vapid, std::string_view subject, TimePoint now,
                                          std::string_view ephemeral_private32, std::string_view salt16);

}  // namespace branchcast
