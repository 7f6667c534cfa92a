#include "feeds/ical_fast_rules.h"

#include <algorithm>

namespace branchcast {
namespace {

bool empty(const short* a) { return a[0] == ICAL_RECURRENCE_ARRAY_MAX; }

// 0 = Sunday .. 6 = Saturday.
int weekday_of(std::chrono::sys_days d) { return static_cast<int>(std::chrono::weekday(d).c_encoding()); }

}  // namespace

std::optional<FastRecurrence> FastRecurrence::make(const icalrecurrencetype& r, const icaltimetype& dtstart) {
  if (r.freq != ICAL_DAILY_RECURRENCE && r.freq != ICAL_WEEKLY_RECURRENCE) return std::nullopt;
  if (!empty(r.by_second) || !empty(r.by_minute) || !empty(r.by_hour) || !empty(r.by_month_day) ||
      !empty(r.by_year_day) || !empty(r.by_week_no) || !empty(r.by_month) || !empty(r.by_set_pos))
    return std::nullopt;
  if (r.rscale && *r.rscale) return std::nullopt;
  if (r.count < 0 || r.interval < 1) return std::nullopt;
  if (dtstart.year < 1 || dtstart.year > 9999) return std::nullopt;
  FastRecurrence f;
  f.start_ = dtstart;
  f.start_.zone = nullptr;
  using namespace std::chrono;
  f.start_day_ = sys_days(year_month_day(year(dtstart.year), month(static_cast<unsigned>(dtstart.month)),
                                         day(static_cast<unsigned>(dtstart.day))));
  if (!year_month_day(f.start_day_).ok()) return std::nullopt;
  f.count_ = r.count;
  if (r.freq == ICAL_DAILY_RECURRENCE) {
    if (!empty(r.by_day)) return std::nullopt;
    f.step_days_ = r.interval;
    f.period_ = f.start_day_;
    return f;
  }
  f.weekly_ = true;
  f.step_days_ = 7 * r.interval;
  int wkst = r.week_start >= ICAL_SUNDAY_WEEKDAY && r.week_start <= ICAL_SATURDAY_WEEKDAY
                 ? static_cast<int>(r.week_start) - 1 : 0;  // unset: libical counts weeks from Sunday
  bool on[7] = {};
  if (empty(r.by_day)) {
    on[weekday_of(f.start_day_)] = true;
  } else {
    for (int i = 0; i < ICAL_BY_DAY_SIZE && r.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) {
      if (icalrecurrencetype_day_position(r.by_day[i]) != 0) return std::nullopt;
      int wd = static_cast<int>(icalrecurrencetype_day_day_of_week(r.by_day[i])) - 1;
      if (wd < 0 || wd > 6 || on[wd]) return std::nullopt;  // libical repeats a repeated day
      on[wd] = true;
    }
  }
  for (int off = 0; off < 7; ++off)
    if (on[(wkst + off) % 7]) f.offsets_[f.n_offsets_++] = off;
  if (f.n_offsets_ == 0) return std::nullopt;
  f.period_ = f.start_day_ - days{(weekday_of(f.start_day_) - wkst + 7) % 7};
  return f;
}

icaltimetype FastRecurrence::next() {
  using namespace std::chrono;
  static const sys_days kLast = sys_days(year_month_day(year(9999), month(12), day(31)));
  if (count_ > 0 && produced_ >= count_) return icaltime_null_time();
  sys_days d;
  if (!weekly_) {
    d = period_;
    period_ += days{step_days_};
  } else {
    for (;;) {
      if (index_ >= n_offsets_) {
        index_ = 0;
        period_ += days{step_days_};
      }
      d = period_ + days{offsets_[index_++]};
      if (d >= start_day_) break;
      if (period_ > kLast) return icaltime_null_time();
    }
  }
  if (d > kLast) return icaltime_null_time();
  ++produced_;
  year_month_day ymd(d);
  icaltimetype t = start_;
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return t;
}

}  // namespace branchcast
