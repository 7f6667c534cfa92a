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

}  // namespace branchcast
