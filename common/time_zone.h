// The one seam to the zone database (IANA zones from the system's zoneinfo).
//
// TimeZone is a cheap value; load() is the only call that touches the OS (it reads zoneinfo once
// per zone and caches it for the process). All other members are pure and thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace branchcast {

// An instant seen on the local wall clock.
struct LocalTime {
  local_days date;               // the local calendar day
  Duration since_midnight{0};    // time into that local day
  std::chrono::seconds offset{0};  // UTC offset in force (local = utc + offset)

  std::chrono::weekday weekday() const { return std::chrono::weekday{date}; }
  int minute_of_day() const { return static_cast<int>(since_midnight.count() / 60'000); }
};

class TimeZone {
 public:
  // Loads an IANA zone ("Europe/London", "UTC"). Fails with a message naming the zone.
  static Result<TimeZone> load(std::string_view name);
  // The system's own zone (/etc/localtime), UTC when it cannot be determined.
  static TimeZone system();
  static TimeZone utc();
  // load(name), or UTC when that fails: for a zone validation has already accepted.
  static TimeZone load_or_utc(std::string_view name);

  const std::string& name() const { return name_; }
  LocalTime to_local(TimePoint t) const;

  // Instants whose local time is `date` + `since_midnight`. Empty in a spring-forward gap, two in a
  // repeated (fall-back) hour, earliest first.
  std::vector<TimePoint> from_local_all(local_days date, Duration since_midnight) const;
  // The earliest instant whose local time is at or after the given one: in a gap, the first instant
  // after the gap; in a repeated hour, the first pass.
  TimePoint from_local(local_days date, Duration since_midnight) const;
  // The first instant after t at which the UTC offset changes (a year ahead at most; otherwise
  // TimePoint::max()).
  TimePoint next_offset_change(TimePoint t) const;

  // "2026-03-02T09:00:00+00:00" (milliseconds shown only when non-zero).
  std::string format_iso(TimePoint t) const;
  // Parses ISO 8601 local time ("2026-03-02T09:15", seconds optional) in this zone, or with an
  // explicit offset ("...+01:00", "...Z"). Also accepts a plain date (its local midnight).
  Result<TimePoint> parse_iso(std::string_view text) const;

 private:
  TimeZone(const void* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const void* zone_;  // const date::time_zone*, owned by the process-wide database
  std::string name_;
};

}  // namespace branchcast
