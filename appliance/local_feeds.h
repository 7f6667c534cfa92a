// The branch's local (file:) feeds, read and parsed in one go for the offline commands
// (simulate, preview, recommend) that must not touch the network.
#pragma once

#include <iosfwd>

#include "common/time_zone.h"
#include "config/settings.h"
#include "feeds/catalogue.h"

namespace branchcast {

// Everything the local feeds say, events expanded over [from, to). Remote feeds and feeds that
// fail to read or parse are skipped with one note line each on `notes` (when given).
Catalogue load_local_catalogue(const ApplianceSettings& settings, const TimeZone& zone, TimePoint from,
                               TimePoint to, std::ostream* notes);

}  // namespace branchcast
