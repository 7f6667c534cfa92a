// Reading a feed body once, from a local path or a URL (http, https, file:), for the CLI and the
// fetcher. Blocking: call from a worker thread (or the CLI).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/http_client.h"
#include "common/time.h"
#include "common/result.h"

namespace branchcast {

struct FeedBody {
  std::string body;
  std::string charset;                       // from Content-Type, "" when none
  std::string effective_url;                 // after redirects ("" for local paths)
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  bool not_modified = false;                 // 304: body empty, keep the cached copy
};

// True for "http://", "https://" and "file:" sources.
bool is_url(const std::string& source);

// What messages and logs may show of a source: a local path as is; a URL as scheme and host only
// ("https://calendar.example.org/..."), since feed URLs often carry a private key in the path or
// query (privacy rule: no key or token in logs).
std::string display_source(const std::string& source);

// The charset parameter of a Content-Type header value ("" when absent).
std::string charset_of(const std::string& content_type);

// Reads `source`: a local path directly (refusing files over max_bytes), a URL through `http`.
// An HTTP status other than 200 (or 304 when `request` carried validators) is an error naming the
// status; transport errors come from the HttpClient. `request` supplies limits and validators; its
// url is replaced by `source`.
// A 429 or 503 answer's Retry-After header value is stored in `*retry_after` when given.
Result<FeedBody> read_feed_source(const std::string& source, HttpClient& http, HttpRequest request,
                                  std::string* retry_after = nullptr);

// Retry-After (RFC 9110 10.2.3): delay-seconds, or an HTTP-date taken relative to `now`; capped
// at 24 h. nullopt when unreadable.
std::optional<Duration> parse_retry_after(const std::string& value, TimePoint now);

}  // namespace branchcast
