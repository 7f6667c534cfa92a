// Adapter over Howard Hinnant's date/tz (Debian libhowardhinnant-date-dev, using the OS tzdb):
// GCC 12 has no std::chrono time zones.
#include "common/time_zone.h"

#include <date/tz.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace branchcast {
namespace {

const date::time_zone* zone_of(const void* z) { return static_cast<const date::time_zone*>(z); }

date::sys_time<std::chrono::milliseconds> to_date(TimePoint t) {
  return date::sys_time<std::chrono::milliseconds>(t.time_since_epoch());
}

bool digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc();
}

}  // namespace

Result<TimeZone> TimeZone::load(std::string_view name) {
  if (name.empty()) return make_error("empty time zone name");
  try {
    const date::time_zone* z = date::locate_zone(name);
    return TimeZone(z, std::string(name));
  } catch (const std::exception&) {
    return make_error("unknown time zone '" + std::string(name) +
                      "' (expected an IANA name such as Europe/London)");
  }
}

TimeZone TimeZone::system() {
  try {
    const date::time_zone* z = date::current_zone();
    return TimeZone(z, std::string(z->name()));
  } catch (const std::exception&) {
    return utc();
  }
}

TimeZone TimeZone::load_or_utc(std::string_view name) {
  auto z = load(name);
  return z ? *z : utc();
}

TimeZone TimeZone::utc() {
  auto z = load("UTC");
  if (z) return *z;
  std::abort();  // no zoneinfo at all: the package tzdata is a hard dependency
}

LocalTime TimeZone::to_local(TimePoint t) const {
  auto info = zone_of(zone_)->get_info(date::floor<std::chrono::seconds>(to_date(t)));
  auto local = t.time_since_epoch() + std::chrono::duration_cast<Duration>(info.offset);
  auto day = std::chrono::floor<std::chrono::days>(local);
  LocalTime out;
  out.date = local_days(day);
  out.since_midnight = local - day;
  out.offset = info.offset;
  return out;
}

std::vector<TimePoint> TimeZone::from_local_all(local_days date, Duration since_midnight) const {
  auto local = date::local_time<std::chrono::milliseconds>(date.time_since_epoch() + since_midnight);
  auto info = zone_of(zone_)->get_info(date::floor<std::chrono::seconds>(local));
  std::vector<TimePoint> out;
  auto to_utc = [&](std::chrono::seconds off) {
    return TimePoint(local.time_since_epoch() - std::chrono::duration_cast<Duration>(off));
  };
  switch (info.result) {
    case date::local_info::unique: out.push_back(to_utc(info.first.offset)); break;
    case date::local_info::ambiguous:
      out.push_back(to_utc(info.first.offset));
      out.push_back(to_utc(info.second.offset));
      break;
    case date::local_info::nonexistent: break;
  }
  return out;
}

TimePoint TimeZone::from_local(local_days date, Duration since_midnight) const {
  auto all = from_local_all(date, since_midnight);
  if (!all.empty()) return all.front();
  auto local = date::local_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(date.time_since_epoch() + since_midnight));
  auto info = zone_of(zone_)->get_info(local);
  // In a gap: the transition instant itself (where info.second begins).
  return TimePoint(std::chrono::duration_cast<Duration>(info.second.begin.time_since_epoch()));
}

TimePoint TimeZone::next_offset_change(TimePoint t) const {
  auto s = date::floor<std::chrono::seconds>(to_date(t));
  auto limit = s + std::chrono::hours(24 * 366);
  auto info = zone_of(zone_)->get_info(s);
  while (info.end <= limit) {
    auto next = zone_of(zone_)->get_info(info.end);
    if (next.offset != info.offset)
      return TimePoint(std::chrono::duration_cast<Duration>(info.end.time_since_epoch()));
    info = next;
  }
  return TimePoint::max();
}

std::string TimeZone::format_iso(TimePoint t) const {
  LocalTime l = to_local(t);
  std::chrono::year_month_day ymd{l.date};
  long long ms = l.since_midnight.count();
  long long off = l.offset.count();
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld",
                        static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()), ms / 3'600'000, ms / 60'000 % 60,
                        ms / 1000 % 60);
  if (ms % 1000) n += std::snprintf(buf + n, sizeof buf - n, ".%03lld", ms % 1000);
  std::snprintf(buf + n, sizeof buf - n, "%c%02lld:%02lld", sign, off / 3600, off / 60 % 60);
  return buf;
}

Result<TimePoint> TimeZone::parse_iso(std::string_view text) const {
  auto bad = [&] {
    return make_error("invalid time '" + std::string(text) +
                      "' (expected ISO 8601 such as 2026-03-02T09:15 or 2026-03-02T09:15:00+01:00)");
  };
  auto date = parse_date(text.substr(0, 10));
  if (!date) return bad();
  if (text.size() == 10) return from_local(local_days(*date), Duration(0));
  if (text.size() < 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') return bad();
  int h = 0, m = 0, s = 0, ms = 0;
  if (!digits(text.substr(11, 2), h) || !digits(text.substr(14, 2), m) || h > 23 || m > 59)
    return bad();
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!digits(text.substr(pos + 1, 2), s) || s > 59) return bad();
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      size_t end = pos + 1;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
      std::string frac(text.substr(pos + 1, end - pos - 1));
      if (frac.empty()) return bad();
      frac.resize(3, '0');
      ms = std::atoi(frac.c_str());
      pos = end;
    }
  }
  Duration since = std::chrono::hours(h) + std::chrono::minutes(m) + std::chrono::seconds(s) +
                   Duration(ms);
  std::string_view zone = text.substr(pos);
  if (zone.empty()) return from_local(local_days(*date), since);
  long long off_s = 0;
  if (zone == "Z") {
    off_s = 0;
  } else {
    int oh = 0, om = 0;
    if ((zone[0] != '+' && zone[0] != '-') || zone.size() != 6 || zone[3] != ':' ||
        !digits(zone.substr(1, 2), oh) || !digits(zone.substr(4, 2), om) || oh > 23 || om > 59)
      return bad();
    off_s = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  }
  return TimePoint(sys_days(*date).time_since_epoch() + since - std::chrono::seconds(off_s));
}

}  // namespace branchcast
