// Time zones of one iCalendar document: TZID -> a zone that turns wall-clock values into instants.
// Internal to the iCal parser (feeds/ical_parser.cpp). Not thread-safe: one per parse.
//
// Resolution order for a TZID: an IANA name (also behind a vendor prefix such as
// "/freeassociation.sourceforge.net/Tzfile/Europe/London"), a Windows zone name (table in
// windows_zones.cpp), an Outlook/OWA display name such as "(GMT+10:00) Canberra, Melbourne, Sydney"
// when the document has no VTIMEZONE of that name (also windows_zones.cpp), the document's own
// VTIMEZONE (libical's handling), else unknown.
#pragma once

#include <libical/ical.h>

#include <map>
#include <optional>
#include <string>

#include "common/time.h"
#include "common/time_zone.h"

namespace branchcast {

struct IcalZone {
  std::optional<TimeZone> iana;      // set for IANA/Windows/UTC zones
  icaltimezone* custom = nullptr;    // the document's VTIMEZONE (owned by IcalZones)
  std::string name;                  // IANA name, or "" for a custom zone
};

class IcalZones {
 public:
  // `root` is the parsed document (VCALENDAR or XROOT); its VTIMEZONEs are indexed, not copied.
  IcalZones(icalcomponent* root, TimeZone floating);
  ~IcalZones();
  IcalZones(const IcalZones&) = delete;
  IcalZones& operator=(const IcalZones&) = delete;

  // The zone for a TZID, or nullptr when it cannot be resolved.
  const IcalZone* lookup(const std::string& tzid);
  // Floating times (no TZID, no Z) and DATE values: X-WR-TIMEZONE or the caller's default zone.
  const IcalZone& floating() const { return floating_; }
  const IcalZone& utc() const { return utc_; }

 private:
  std::map<std::string, icalcomponent*> vtimezones_;
  std::map<std::string, std::optional<IcalZone>> cache_;
  IcalZone floating_;
  IcalZone utc_;
};

// The instant of a wall-clock value in a zone. For DATE values, local midnight. A time that does
// not exist (spring-forward gap) is read with the offset in force before the gap; a repeated time
// (fall-back) is its first pass (RFC 5545 section 3.3.5).
TimePoint ical_instant(const icaltimetype& wall, const IcalZone& zone);

// The wall-clock value of an instant in a zone (seconds precision).
icaltimetype ical_wall(TimePoint t, const IcalZone& zone, bool is_date);

}  // namespace branchcast
