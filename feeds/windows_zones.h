// Windows time zone names (as Outlook and Exchange write them in TZID) mapped to IANA zones.
// Pure lookup, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace branchcast {

// The IANA zone for a Windows zone name ("W. Europe Standard Time" -> "Europe/Berlin"), using
// CLDR's windowsZones "001" (territory-neutral) mapping for the common zones. nullopt if unknown.
std::optional<std::string> iana_from_windows_zone(std::string_view windows_name);

// The IANA zone for the display name Outlook and Exchange/OWA write when they publish without a
// VTIMEZONE: "(GMT+10:00) Canberra, Melbourne, Sydney", "(UTC-05:00) Eastern Time (US & Canada)",
// "Greenwich Mean Time:Dublin; Edinburgh; Lisbon; London". The city list (case, punctuation and
// "&"/"and" ignored) is matched against Windows' display names of the common zones; when it is not
// known but an offset is given, the fixed-offset zone "Etc/GMT-10" (whole hours only; note the POSIX
// sign) is returned, so times are at least right outside DST. nullopt otherwise.
std::optional<std::string> iana_from_windows_display_name(std::string_view display_name);

}  // namespace branchcast
