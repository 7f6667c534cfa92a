// Pure parsers for the value forms of the staff YAML files (no YAML, no files). Each returns the
// value or an Error whose message says what is wrong; callers add the file position. Messages of
// parse_patron_key and check_notify_url never quote the value (it may be a secret).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"
#include "config/settings.h"

namespace branchcast {

// "mon", "mon-fri", "fri-mon" (wrapping over the weekend): Monday = index 0.
Result<std::array<bool, 7>> parse_weekdays(std::string_view text);
// "1920x1080", each side 16..16384.
Result<std::pair<int, int>> parse_resolution(std::string_view text);
// "2f234454-cf6d-4a0f-adf2-f4911ba9ffa6" (8-4-4-4-12 hex digits, any case).
Result<std::array<uint8_t, 16>> parse_uuid(std::string_view text);
// 32 hex digits (16 bytes). The message never contains the text.
Result<std::array<uint8_t, 16>> parse_patron_key(std::string_view text);
// "2026-01-05..2026-03-31" (inclusive, first <= last) or a single date.
Result<DateRange> parse_date_range(std::string_view text);
// "127.0.0.1:8642", "[::1]:8642", "0.0.0.0:80": a host and a port 1..65535.
Status check_listen_address(std::string_view text);

// Notification provider URLs (formats.md section 4). `webpush` (bare) is allowed only where a
// per-patron subscription goes with it. ${ENV} references are left as written. The message names
// at most the scheme.
Status check_notify_url(std::string_view text, bool allow_webpush);
// The scheme of a notification URL ("ntfy", "webhook+https", "webpush"), empty if none.
std::string notify_scheme(std::string_view text);

}  // namespace branchcast
