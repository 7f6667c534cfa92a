#include "scheduler/timeline.h"

namespace branchcast {

std::vector<TimelineEntry> simulate_timeline(Scheduler& scheduler, TimePoint from, TimePoint to,
                                             TimelineContext* context) {
  std::vector<TimelineEntry> out;
  scheduler.start(from);
  if (context)
    while (context->next_change() <= from) context->apply(scheduler, from);
  Showing current = scheduler.showing();
  if (current.start >= to) return out;
  for (;;) {
    TimePoint d = scheduler.next_deadline();
    const TimePoint c = context ? context->next_change() : TimePoint::max();
    if (d == TimePoint::max() && (c == TimePoint::max() || c >= to)) {
      out.push_back({current, std::max(Duration(0), to - current.start)});
      return out;
    }
    if (c <= d && c < to) {
      scheduler.tick(c);
      context->apply(scheduler, c);
    } else {
      scheduler.tick(d);
    }
    const Showing& next = scheduler.showing();
    if (next.serial == current.serial) continue;
    if (next.start > current.start) out.push_back({current, next.start - current.start});
    current = next;
    if (current.start >= to) return out;
  }
}

std::string format_timeline_line(const TimelineEntry& e, const TimeZone& zone) {
  const Showing& s = e.showing;
  std::string line = zone.format_iso(s.start);
  line += '\t';
  if (s.mode == ShowingMode::kStandby) {
    line += "standby\tpower\t" + (s.ref.empty() ? std::string("-") : s.ref) + '\t';
  } else {
    line += s.rule + '\t';
    line += s.mode == ShowingMode::kOverride ? "text" : to_string(s.kind);
    line += '\t' + s.ref + '\t';
  }
  line += format_seconds(e.shown);
  return line;
}

}  // namespace branchcast
