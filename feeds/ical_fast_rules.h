// A fast expansion of the recurrence rules library calendars use most, in place of libical's
// iterator (which, in libical 3.0.16, goes through an ICU calendar for every step). Internal to
// the iCal parser. Pure, thread-safe.
//
// Taken: FREQ=DAILY without BY parts, and FREQ=WEEKLY with at most a BYDAY list of plain weekdays
// (no ordinals), any INTERVAL, COUNT and WKST, no RSCALE. UNTIL is left to the caller (it stops on
// the instant). Everything else returns nullopt and goes to libical. The occurrences are exactly
// libical's for the same rule and start (tests/feeds/ical_fast_rules_test.cpp compares them on
// thousands of random rules).
#pragma once

#include <libical/ical.h>

#include <array>
#include <chrono>
#include <optional>

namespace branchcast {

class FastRecurrence {
 public:
  // nullopt when the rule is not one of the shapes above.
  static std::optional<FastRecurrence> make(const icalrecurrencetype& rule, const icaltimetype& dtstart);

  // The next occurrence (wall clock, zone cleared), or icaltime_null_time() after the last.
  icaltimetype next();

 private:
  icaltimetype start_{};                 // DTSTART as given (its time of day is every occurrence's)
  std::chrono::sys_days start_day_{};
  std::chrono::sys_days period_{};       // current day (DAILY) or week start (WEEKLY)
  int step_days_ = 1;                    // INTERVAL days, or 7 * INTERVAL
  bool weekly_ = false;
  std::array<int, 7> offsets_{};         // WEEKLY: BYDAY days as offsets from the week start, sorted
  int n_offsets_ = 0;
  int index_ = 0;                        // next offset within the current week
  int count_ = 0;                        // COUNT, 0 = none
  int produced_ = 0;
};

}  // namespace branchcast
