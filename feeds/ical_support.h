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
// Repairs, in place, what Outlook writes as DTSTART;TZID="W. Europe Standard Time:20200609T090000"
// (the value glued inside the quoted zone; libical would drop the property): the line becomes
// DTSTART;TZID="W. Europe Standard Time":20200609T090000. Returns the number of lines repaired.
size_t ical_repair_glued_tzid(std::string& text);
// Malformed properties libical reported (X-LIC-ERROR) in `root` and below, not counting empty
// text values ("DESCRIPTION:", "LOCATION:" as Google writes them), which RFC 5545 allows.
int ical_count_errors(icalcomponent* root);
// The id of an event without UID: "nouid-" + 16 hex digits of FNV-1a 64 over the event's start
// (UTC ISO, or the date for all-day events) and its SUMMARY; stable across refreshes.
std::string ical_anonymous_uid(const std::string& start, const std::string& summary);
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
