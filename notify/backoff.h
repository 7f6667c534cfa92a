// Retry timing: exponential backoff with full jitter, and Retry-After. Pure.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "common/time.h"

namespace branchcast {

struct BackoffPolicy {
  Duration base{2'000};
  Duration cap{5 * 60'000};
};

// "Full jitter": uniform in [0, min(cap, base * 2^attempt)], attempt counted from 0. `unit` is a
// uniform random number in [0, 1) drawn by the caller's injected source.
Duration full_jitter_delay(const BackoffPolicy& policy, int attempt, double unit);

// Retry-After as delta-seconds ("120") or an HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT", also the
// obsolete RFC 850 and asctime forms). A date in the past gives 0. nullopt when unparseable.
std::optional<Duration> parse_retry_after(std::string_view value, TimePoint now);

// IMF-fixdate of an instant ("Sun, 06 Nov 1994 08:49:37 GMT").
std::string format_http_date(TimePoint t);

}  // namespace branchcast
