// What is sent (Notification) and what came of it (SendResult), shared by every provider.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/result.h"
#include "common/time.h"

namespace branchcast {

struct Notification {
  std::string title;
  std::string message;
  std::string click;                 // URL opened when tapped (optional)
  std::vector<std::string> tags;     // ntfy tags / emoji short codes
  int priority = 3;                  // 1 (min) .. 5 (max), ntfy's scale; mapped per provider
  std::string idempotency_key;       // sent where a provider accepts one (webhook-id, Topic, ...)
  Duration ttl{10 * 60'000};         // Web Push TTL, FCM ttl
};

enum class SendOutcome {
  kDelivered,     // accepted by the provider
  kRetry,         // transient: try again later (retry_after if the provider said when)
  kPermanent,     // will never succeed as is (400, bad config, 401/403 after a refresh)
  kGone,          // 404/410: the subscription or device no longer exists; prune it
};
const char* to_string(SendOutcome o);

struct SendResult {
  SendOutcome outcome = SendOutcome::kRetry;
  long status = 0;                       // HTTP status; 0 when there was no answer
  std::string detail;                    // short, secret-free: the provider's answer or the error
  std::optional<Duration> retry_after;   // from Retry-After
};

// The common reading of an HTTP answer: 2xx delivered; 404/410 gone; 408, 425, 429 and 5xx retry
// (with Retry-After); other 4xx (including 401/403) permanent; a transport error retries. `detail`
// is "HTTP <status>: <first 200 printable characters of the body>" with secrets scrubbed.
SendResult interpret_http(const Result<HttpResponse>& response, TimePoint now,
                          const std::vector<std::string>& secrets);

// A short printable excerpt of a body (control characters replaced, at most max_chars).
std::string short_body(std::string_view body, size_t max_chars = 200);

}  // namespace branchcast
