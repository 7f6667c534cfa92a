// Helpers of the iCalendar parser (feeds/ical_parser.cpp): line-level checks libical does not make,
// and reading text properties. Internal to feeds/. Pure, thread-safe.
#pragma once

#include <libical/ical.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "feeds/ical_zones.h"

namespace branchcast {

// Nesting depth (at most 16 BEGINs open), a VCALENDAR at all, balanced BEGIN/END; also picks up
// X-WR-TIMEZONE. Errors name `source` and the line.
Status ical_precheck(const std::string& text, const std::string& source, std::string& x_wr_timezone);
// A CHARSET parameter (vCalendar 1.0 style) in the first 64 KiB, lower-cased, or "".
std::string ical_declared_charset(std::string_view body);
// The (unescaped) text of the first `kind` property, "" when absent.
std::string ical_text_of(icalcomponent* c, icalproperty_kind kind);
// "2026-03-02T09:30:00Z" (UTC), or the local date "2026-03-02" of an all-day occurrence.
std::string ical_occurrence_id(TimePoint t, bool all_day, const IcalZone& zone);
// CATEGORIES values, lower-cased, trimmed, HTML stripped, de-duplicated, appended to `tags`.
void ical_add_tags(icalcomponent* c, std::vector<std::string>& tags);
// The common names (CN parameter) of ORGANIZER then ATTENDEE properties, HTML stripped, trimmed,
// de-duplicated, appended to `people`; a property without CN adds nothing (its value is an address).
void ical_add_people(icalcomponent* c, std::vector<std::string>& people);
// IMAGE (RFC 7986) or ATTACH with FMTTYPE image/* and an http(s) URL, or "".
std::string ical_image_of(icalcomponent* c);

}  // namespace branchcast
