// HttpClient port: a request value in, a response or an error value out.
//
// Implementations: common/curl_http_client.cpp (libcurl, the real one) and fakes in tests.
// perform() blocks the calling thread, so the appliance calls it from a worker thread and posts the
// result to the loop; it is safe to call from several threads at once on the same client.
// Secrets in headers or URLs are never logged by an implementation.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace branchcast {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, ...
  std::string url;             // http://, https://, or file: (GET only)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Conditional GET: sent as If-None-Match / If-Modified-Since when set.
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
  // A transfer slower than low_speed_bytes per second for low_speed_time is aborted (slow loris).
  long low_speed_bytes = 64;
  std::chrono::seconds low_speed_time{30};
  int64_t max_bytes = 20 * 1024 * 1024;  // response bodies larger than this fail (after decoding)
  // When set, the body of a 2xx answer is written to this file (created or truncated) instead of
  // HttpResponse::body, so large downloads never sit in memory; max_bytes still applies. On an
  // error or another status the file may hold a partial or error body: the caller removes it.
  std::string output_file;
  int max_redirects = 5;                  // 0: redirects are not followed
  bool accept_gzip = true;                // Accept-Encoding: gzip, deflate; decoded transparently
  bool verify_tls = true;                 // only tests against loopback may turn this off
  // SMTP (smtp://, smtps://): envelope sender and recipients; body is the whole message.
  std::string mail_from;
  std::vector<std::string> mail_to;
  bool require_tls = false;  // SMTP: fail unless STARTTLS succeeds (never send credentials in clear)
  std::string username;  // for SMTP AUTH / basic auth
  std::string password;
};

struct HttpResponse {
  long status = 0;  // 200, 304, ...; 0 for file: and SMTP success
  std::map<std::string, std::string> headers;  // lower-case names; last value wins
  std::string body;
  std::string effective_url;  // after redirects
  std::optional<std::string> header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
  }
};

// A transport failure (no answer at all): DNS, connect, TLS, timeout, size cap, too many
// redirects. An HTTP error status is NOT an Error: it is a response the caller interprets.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> perform(const HttpRequest& request) = 0;
};

// The real client (libcurl). Target branchcast_http_curl.
std::unique_ptr<HttpClient> make_curl_http_client();

}  // namespace branchcast
