// The branch's real opening hours, day by day: one answer for the scheduler (power, `open`,
// `before_close`, `after_open`), event cards, recommendations and validation. Pure value; never
// reads a clock or a file; thread-safe once built.
//
// Precedence for a local date (formats.md section 2, rule 6): the weekly `opening_hours`, replaced
// by `special_hours` for that date, replaced by a closure (`closures`, then the closures feed).
// Without opening_hours the branch counts as open all day, every day (closures still apply).
// A window crossing midnight (22:00-02:00) belongs to the day it starts on. Times are wall-clock
// times of the branch's zone; callers convert to instants with TimeZone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "common/time_zone.h"
#include "config/settings.h"

namespace branchcast {

// One opening period of a local day: [start, end) as time since that day's local midnight. `end`
// may pass 24h (a window crossing midnight). Touching windows of one day are merged.
struct OpenSpan {
  local_days day;
  Duration start{0};
  Duration end{0};
};

class BranchHours {
 public:
  BranchHours() = default;  // no hours: open all the time, never closed
  explicit BranchHours(const BranchSettings& branch);

  // Replaces the closures taken from the closures feed (config closures are kept).
  void set_feed_closures(std::vector<Closure> closures) { feed_closures_ = std::move(closures); }
  const std::vector<Closure>& feed_closures() const { return feed_closures_; }

  // True when anything (opening hours, special hours, closures) can close the branch.
  bool restricts() const { return hours_given_ || !closures_.empty() || !special_.empty() || !feed_closures_.empty(); }

  // The closure covering local date d: config closures first, then the feed's. Null if none.
  const Closure* closure_on(local_days d) const;
  // The opening spans of local day d after special hours and closures (empty: closed all day).
  std::vector<OpenSpan> spans_on(local_days d) const;
  // Spans of days d - back .. d + ahead, in order.
  std::vector<OpenSpan> spans_around(local_days d, int back, int ahead) const;
  // Is the branch open at local time l?
  bool open_at(const LocalTime& l) const;
  // Does the branch open at all on local date d?
  bool opens_on(local_days d) const { return !spans_on(d).empty(); }

 private:
  OpeningHours weekly_;
  bool hours_given_ = false;
  std::vector<SpecialHours> special_;
  std::vector<Closure> closures_;
  std::vector<Closure> feed_closures_;
};

// Where local time l sits relative to the midnight that starts `day` (negative before it).
Duration wall_offset(const LocalTime& l, local_days day);
// The earliest instant whose local wall time is `day` midnight + offset (offset may be negative
// or pass 24h; gaps resolve as TimeZone::from_local does).
TimePoint instant_at(const TimeZone& zone, local_days day, Duration offset);
// Is local date d within the range?
bool date_in_range(const DateRange& r, local_days d);

}  // namespace branchcast
