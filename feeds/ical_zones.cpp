#include "feeds/ical_zones.h"

#include <vector>

#include "feeds/windows_zones.h"

namespace branchcast {
namespace {

std::optional<TimeZone> load_iana(const std::string& name) {
  if (name.empty() || name.size() > 64) return std::nullopt;
  auto z = TimeZone::load(name);
  if (!z) return std::nullopt;
  return *z;
}

void index_vtimezones(icalcomponent* c, std::map<std::string, icalcomponent*>& out) {
  // VTIMEZONEs live directly in a VCALENDAR; the root may be an XROOT of several calendars.
  std::vector<icalcomponent*> calendars;
  if (icalcomponent_isa(c) == ICAL_VCALENDAR_COMPONENT) calendars.push_back(c);
  for (icalcomponent* k = icalcomponent_get_first_component(c, ICAL_VCALENDAR_COMPONENT); k;
       k = icalcomponent_get_next_component(c, ICAL_VCALENDAR_COMPONENT))
    calendars.push_back(k);
  for (icalcomponent* cal : calendars) {
    for (icalcomponent* tz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT); tz;
         tz = icalcomponent_get_next_component(cal, ICAL_VTIMEZONE_COMPONENT)) {
      icalproperty* p = icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY);
      const char* id = p ? icalproperty_get_tzid(p) : nullptr;
      if (id && *id) out.emplace(id, tz);
    }
  }
}

}  // namespace

IcalZones::IcalZones(icalcomponent* root, TimeZone floating) {
  index_vtimezones(root, vtimezones_);
  floating_.name = floating.name();
  floating_.iana = std::move(floating);
  utc_.iana = TimeZone::utc();
  utc_.name = "UTC";
}

IcalZones::~IcalZones() {
  for (auto& [id, z] : cache_)
    if (z && z->custom) icaltimezone_free(z->custom, 1);
}

const IcalZone* IcalZones::lookup(const std::string& tzid) {
  if (auto it = cache_.find(tzid); it != cache_.end()) return it->second ? &*it->second : nullptr;
  std::optional<IcalZone> found;
  auto try_iana = [&](const std::string& name) {
    if (auto z = load_iana(name)) found = IcalZone{*z, nullptr, name};
  };
  try_iana(tzid);
  // Vendor prefixes: try ever shorter "/"-suffixes ("/mozilla.org/20050126_1/Europe/Berlin").
  for (size_t pos = tzid.find('/'); !found && pos != std::string::npos; pos = tzid.find('/', pos + 1))
    if (pos + 1 < tzid.size()) try_iana(tzid.substr(pos + 1));
  if (!found) {
    if (auto w = iana_from_windows_zone(tzid)) try_iana(*w);
  }
  if (!found && vtimezones_.find(tzid) == vtimezones_.end()) {
    // Outlook/OWA display names: "(GMT+10:00) Canberra, Melbourne, Sydney" (no VTIMEZONE given).
    if (auto w = iana_from_windows_display_name(tzid)) try_iana(*w);
  }
  if (!found) {
    if (auto it = vtimezones_.find(tzid); it != vtimezones_.end()) {
      icaltimezone* z = icaltimezone_new();
      if (z && icaltimezone_set_component(z, icalcomponent_new_clone(it->second))) {
        found = IcalZone{std::nullopt, z, ""};
      } else if (z) {
        icaltimezone_free(z, 1);
      }
    }
  }
  auto& slot = cache_[tzid];
  slot = std::move(found);
  return slot ? &*slot : nullptr;
}

TimePoint ical_instant(const icaltimetype& wall, const IcalZone& zone) {
  using namespace std::chrono;
  year_month_day ymd{year(wall.year), month(static_cast<unsigned>(wall.month)),
                     day(static_cast<unsigned>(wall.day))};
  local_days date{ymd};
  Duration since = wall.is_date ? Duration(0)
                                : duration_cast<Duration>(hours(wall.hour) + minutes(wall.minute) +
                                                          seconds(wall.second));
  if (zone.custom) {
    icaltimetype t = wall;
    t.zone = nullptr;
    time_t s = icaltime_as_timet_with_zone(t, zone.custom);
    return TimePoint(duration_cast<Duration>(seconds(s)));
  }
  const TimeZone& tz = *zone.iana;
  auto all = tz.from_local_all(date, since);
  if (!all.empty()) return all.front();
  // In a gap: the offset before the gap applies.
  TimePoint after = tz.from_local(date, since);
  auto before = tz.to_local(after - Duration(1)).offset;
  return TimePoint(date.time_since_epoch() + since - duration_cast<Duration>(before));
}

icaltimetype ical_wall(TimePoint t, const IcalZone& zone, bool is_date) {
  using namespace std::chrono;
  icaltimetype out = icaltime_null_time();
  local_days date;
  Duration since{0};
  if (zone.custom) {
    icaltimetype u = icaltime_from_timet_with_zone(
        static_cast<time_t>(floor<seconds>(t.time_since_epoch()).count()), 0,
        icaltimezone_get_utc_timezone());
    icaltimezone_convert_time(&u, icaltimezone_get_utc_timezone(), zone.custom);
    u.zone = nullptr;
    u.is_date = is_date ? 1 : 0;
    if (is_date) u.hour = u.minute = u.second = 0;
    return u;
  }
  LocalTime l = zone.iana->to_local(t);
  date = l.date;
  since = l.since_midnight;
  year_month_day ymd{date};
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  if (!is_date) {
    long long s = since.count() / 1000;
    out.hour = static_cast<int>(s / 3600);
    out.minute = static_cast<int>(s / 60 % 60);
    out.second = static_cast<int>(s % 60);
  }
  out.is_date = is_date ? 1 : 0;
  return out;
}

}  // namespace branchcast
