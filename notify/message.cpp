#include "notify/message.h"

#include "notify/backoff.h"
#include "notify/provider_url.h"

namespace branchcast {

const char* to_string(SendOutcome o) {
  switch (o) {
    case SendOutcome::kDelivered: return "delivered";
    case SendOutcome::kRetry: return "retry";
    case SendOutcome::kPermanent: return "permanent failure";
    case SendOutcome::kGone: return "gone";
  }
  return "?";
}

std::string short_body(std::string_view body, size_t max_chars) {
  std::string out;
  for (unsigned char c : body) {
    if (out.size() >= max_chars) {
      out += "...";
      break;
    }
    out += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

SendResult interpret_http(const Result<HttpResponse>& response, TimePoint now,
                          const std::vector<std::string>& secrets) {
  SendResult r;
  if (!response) {
    r.outcome = SendOutcome::kRetry;
    r.detail = scrub(response.error().message, secrets);
    return r;
  }
  const HttpResponse& resp = *response;
  r.status = resp.status;
  r.detail = scrub("HTTP " + std::to_string(resp.status) +
                       (resp.body.empty() ? "" : ": " + short_body(resp.body)),
                   secrets);
  long s = resp.status;
  if (s >= 200 && s < 300) {
    r.outcome = SendOutcome::kDelivered;
  } else if (s == 404 || s == 410) {
    r.outcome = SendOutcome::kGone;
  } else if (s == 408 || s == 425 || s == 429 || s >= 500) {
    r.outcome = SendOutcome::kRetry;
    if (auto ra = resp.header("retry-after")) r.retry_after = parse_retry_after(*ra, now);
  } else {
    r.outcome = SendOutcome::kPermanent;
  }
  return r;
}

}  // namespace branchcast
