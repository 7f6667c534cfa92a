// Request builders for the simple HTTP providers: ntfy, Gotify and signed webhooks. Pure: a
// ProviderTarget (parsed, secrets expanded) and a Notification in, an HttpRequest out. Header
// values are stripped of CR/LF (no header injection from prompt text).
#pragma once

#include "common/http_client.h"
#include "notify/message.h"
#include "notify/provider_url.h"

namespace branchcast {

// Limits every provider request shares: short timeouts, no redirects (a POST carrying a token is
// never replayed elsewhere), small answers.
HttpRequest base_provider_request(std::string url);

// ntfy publish: POST http(s)://host/topic, body = message; Title (RFC 2047 when not ASCII),
// Priority, Tags, Click, Idempotency-Key (IETF draft header; ntfy ignores it); Authorization Bearer (?token= or ntfy://:TOKEN@host) or Basic (user:pass).
Result<HttpRequest> build_ntfy_request(const ProviderTarget& t, const Notification& n);

// Gotify: POST http(s)://host[/prefix]/message with X-Gotify-Key (the last path segment) and a JSON
// body {title, message, priority 0..10, extras.client::notification.click.url}.
Result<HttpRequest> build_gotify_request(const ProviderTarget& t, const Notification& n);

// Standard Webhooks: POST the JSON body to http(s)://host/path (other query parameters kept, the
// secret removed) with webhook-id (the idempotency key), webhook-timestamp (Unix seconds of `now`)
// and webhook-signature "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>", key = base64 after whsec_.
Result<HttpRequest> build_webhook_request(const ProviderTarget& t, const Notification& n, TimePoint now);

// The webhook body (exposed for tests and the bench).
std::string webhook_body(const Notification& n, TimePoint now);

// A header value safe to send: CR, LF and NUL removed.
std::string header_safe(std::string_view v);
// RFC 2047 "=?UTF-8?B?...?=" when v has non-ASCII bytes, else v.
std::string rfc2047(std::string_view v);

}  // namespace branchcast
