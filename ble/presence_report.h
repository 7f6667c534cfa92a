// `branchcast presence report` output (formats.md section 3), pure.
//
// CSV: header `start,end,screen,devices`, one row per period and screen, times ISO 8601 with offset
// in the branch's zone; a count below min_reported is written `<N` (N = min_reported), so small
// groups cannot be singled out. The table form shows the same cells aligned for reading.
#pragma once

#include <string>
#include <vector>

#include "ble/presence.h"
#include "common/time_zone.h"

namespace branchcast::ble {

// "<3" when devices < min_reported, else the number.
std::string reported_count(int devices, int min_reported);
std::string presence_csv(const std::vector<PresencePeriod>& rows, const TimeZone& zone, int min_reported);
std::string presence_table(const std::vector<PresencePeriod>& rows, const TimeZone& zone, int min_reported);

}  // namespace branchcast::ble
