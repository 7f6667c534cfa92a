// Email over SMTP (mailto://user:${PASS}@smtp.host[:port]/to@x.org[?from=...]) through the
// HttpClient port's SMTP support (libcurl: STARTTLS whenever the server offers it; mailtos:// is
// implicit TLS). Pure builder.
#pragma once

#include "common/http_client.h"
#include "notify/message.h"
#include "notify/provider_url.h"

namespace branchcast {

// smtp://host:port (default 25 without a user, 587 with one; mailtos:// defaults to 465). The
// message is RFC 5322 with CRLF lines, UTF-8 text, RFC 2047 subject, a Message-ID derived from
// the idempotency key. With a password, STARTTLS is required (the password never travels in
// clear) unless ?tls=optional; ?tls=required demands TLS without a password too. Fails when there is
// no recipient.
Result<HttpRequest> build_email_request(const ProviderTarget& t, const Notification& n, TimePoint now);

}  // namespace branchcast
