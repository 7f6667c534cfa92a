// Dates as feeds write them. Pure, thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "common/time.h"
#include "common/time_zone.h"

namespace branchcast {

// RFC 822 / RFC 2822 as RSS uses it: "Mon, 02 Mar 2026 09:00:00 +0000" (day name optional,
// seconds optional, two-digit years, zones +hhmm, GMT/UT/UTC/Z and the US zone names).
std::optional<TimePoint> parse_rfc822_date(std::string_view text);

// RFC 3339 / ISO 8601 as Atom and JSON use it: "2026-03-02T09:00:00Z", "...+01:00", fractions,
// "+0100", a space for 'T'. Without an offset the time is local in `floating`; a plain date is
// local midnight there.
std::optional<TimePoint> parse_rfc3339_date(std::string_view text, const TimeZone& floating);

// Either of the above.
std::optional<TimePoint> parse_feed_date(std::string_view text, const TimeZone& floating);

}  // namespace branchcast
