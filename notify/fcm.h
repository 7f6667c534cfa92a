// Firebase Cloud Messaging HTTP v1. Pure builders and interpreters: the service-account JSON, the
// RS256 JWT assertion exchanged for an OAuth token at the account's token_uri, and the send request.
// The Sender caches the token until shortly before it expires.
#pragma once

#include <string>
#include <string_view>

#include "common/http_client.h"
#include "notify/message.h"

namespace branchcast {

struct ServiceAccount {
  std::string project_id;
  std::string client_email;
  std::string private_key_pem;  // secret
  std::string token_uri = "https://oauth2.googleapis.com/token";
};

// Parses a Google service-account key file (type "service_account"). Capped at 64 KiB; errors
// start with `source` and never quote the key.
Result<ServiceAccount> parse_service_account(std::string_view json, std::string_view source);

inline constexpr char kFcmScope[] = "https://www.googleapis.com/auth/firebase.messaging";

// The signed JWT: iss = client_email, scope, aud = token_uri, iat = now, exp = now + 1h.
Result<std::string> fcm_assertion(const ServiceAccount& sa, TimePoint now);
// POST token_uri, form grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=JWT.
HttpRequest build_fcm_token_request(const ServiceAccount& sa, std::string_view assertion);

struct OAuthToken {
  std::string access_token;
  TimePoint expires;
};
// Reads {"access_token", "expires_in", ...} from a 200 answer; errors name `source` and the status.
Result<OAuthToken> parse_token_response(const HttpResponse& response, TimePoint now, std::string_view source);

// POST {base_url}/v1/projects/{project}/messages:send with Bearer token. `target` is a registration
// token, or "topic:NAME" for a topic.
Result<HttpRequest> build_fcm_send_request(std::string_view base_url, std::string_view project,
                                           std::string_view target, const Notification& n,
                                           std::string_view access_token);

}  // namespace branchcast
