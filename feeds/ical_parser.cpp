// iCalendar (RFC 5545) via libical: components, zones and recurrence rules from libical; the
// expansion loop, overrides, exclusions, cancellations and the caps are ours (libical 3.0.16's
// own foreach_recurrence returns overridden occurrences too, and has no bounds).
#include <libical/ical.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <cstdio>
#include <tuple>

#include "common/strings.h"
#include "feeds/feed_parser.h"
#include "feeds/html_text.h"
#include "feeds/ical_fast_rules.h"
#include "feeds/ical_support.h"
#include "feeds/ical_zones.h"
#include "feeds/text_encoding.h"

namespace branchcast {
namespace {

constexpr long kMaxStepsPerRule = 2'000'000;

struct Occurrence {
  TimePoint start;
  TimePoint end;
};

// One VEVENT, its times resolved.
struct VEvent {
  icalcomponent* comp = nullptr;
  std::string uid;
  icaltimetype start{};      // wall clock in `zone` (zone pointer cleared)
  const IcalZone* zone = nullptr;
  TimePoint start_at{};
  Duration duration{0};      // timed events
  int days = 0;              // all-day events: length in days
  bool all_day = false;
  bool has_rid = false;
  TimePoint rid_at{};
  std::tuple<int, int, int> rid_day{};  // the RECURRENCE-ID's own calendar day
  int sequence = 0;
  bool cancelled = false;
  bool anonymous = false;    // no UID in the file: `uid` is ical_anonymous_uid()
};

using CompPtr = std::unique_ptr<icalcomponent, void (*)(icalcomponent*)>;

class IcalReader {
 public:
  IcalReader(const FeedParseOptions& o, ParsedFeed& out) : opt_(o), out_(out) {}

  Status run(icalcomponent* root, const std::string& x_wr_timezone);

 private:
  bool resolve(icalproperty* p, icaltimetype value, icaltimetype& wall, const IcalZone*& zone);
  std::optional<VEvent> read_event(icalcomponent* c);
  void expand(const VEvent& master, const std::vector<const VEvent*>& overrides);
  void expand_rule(const VEvent& ev, icalrecurrencetype rule, std::vector<Occurrence>& occ);
  Occurrence occurrence_at(const VEvent& ev, const icaltimetype& wall) const;
  bool in_window(const Occurrence& o) const;
  void emit(const VEvent& ev, const Occurrence& o, bool recurring);
  void warn(const std::string& w) {
    if (out_.warnings.size() < 50) out_.warnings.push_back(opt_.source + ": " + w);
  }

  // The text of one VEVENT, read and HTML-stripped once for all its occurrences.
  struct EventText {
    std::string title, location, description, url, image;
    std::vector<std::string> tags, people;
  };
  const EventText& text_of(const VEvent& ev);

  const FeedParseOptions& opt_;
  ParsedFeed& out_;
  const VEvent* text_for_ = nullptr;
  EventText text_;
  long steps_left_ = opt_.max_recurrence_steps;  // the parse's recurrence work budget
  std::unique_ptr<IcalZones> zones_;
  TimePoint window_end_{};
  bool feed_capped_ = false;
  size_t text_bytes_ = 0;  // text of the occurrences emitted so far (copied per occurrence)
};

bool IcalReader::resolve(icalproperty* p, icaltimetype value, icaltimetype& wall, const IcalZone*& zone) {
  if (icaltime_is_null_time(value) || value.year < 1 || value.year > 9999 || value.month < 1 ||
      value.month > 12 || value.day < 1 || value.day > 31)
    return false;
  wall = value;
  wall.zone = nullptr;
  if (value.is_date) {
    zone = &zones_->floating();
    return true;
  }
  if (icaltime_is_utc(value)) {
    zone = &zones_->utc();
    return true;
  }
  zone = &zones_->floating();
  if (icalparameter* tz = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) : nullptr) {
    const char* id = icalparameter_get_tzid(tz);
    if (id && *id) {
      if (const IcalZone* z = zones_->lookup(id)) zone = z;
      else warn("unknown time zone '" + std::string(id) + "', using " + zones_->floating().name);
    }
  }
  return true;
}

std::optional<VEvent> IcalReader::read_event(icalcomponent* c) {
  VEvent ev;
  ev.comp = c;
  icalproperty* dtstart = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
  if (!dtstart || !resolve(dtstart, icalproperty_get_dtstart(dtstart), ev.start, ev.zone)) {
    warn("event without a valid DTSTART skipped");
    return std::nullopt;
  }
  icalproperty* uid = icalcomponent_get_first_property(c, ICAL_UID_PROPERTY);
  ev.uid = uid && icalproperty_get_uid(uid) ? icalproperty_get_uid(uid) : "";
  ev.all_day = ev.start.is_date != 0;
  ev.start_at = ical_instant(ev.start, *ev.zone);
  if (trim(ev.uid).empty()) {  // Exchange/OWA publishes without UIDs: a stable id of its own
    ev.uid = ical_anonymous_uid(ical_occurrence_id(ev.start_at, ev.all_day, *ev.zone),
                                ical_text_of(c, ICAL_SUMMARY_PROPERTY));
    ev.anonymous = true;
  }
  if (icalproperty* dtend = icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY)) {
    icaltimetype w;
    const IcalZone* z = nullptr;
    if (resolve(dtend, icalproperty_get_dtend(dtend), w, z)) {
      if (ev.all_day && w.is_date) {
        auto days = std::chrono::sys_days(std::chrono::year_month_day{
                        std::chrono::year(w.year), std::chrono::month(static_cast<unsigned>(w.month)),
                        std::chrono::day(static_cast<unsigned>(w.day))}) -
                    std::chrono::sys_days(std::chrono::year_month_day{
                        std::chrono::year(ev.start.year), std::chrono::month(static_cast<unsigned>(ev.start.month)),
                        std::chrono::day(static_cast<unsigned>(ev.start.day))});
        ev.days = static_cast<int>(days.count());
      } else {
        if (ev.all_day) {  // DATE start, DATE-TIME end: a timed event from local midnight
          ev.all_day = false;
          ev.start.is_date = 0;
        }
        ev.duration = ical_instant(w, *z) - ev.start_at;
      }
    }
  } else if (icalproperty* dur = icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY)) {
    long long secs = icaldurationtype_as_int(icalproperty_get_duration(dur));
    if (ev.all_day) ev.days = static_cast<int>(secs / 86400);
    else ev.duration = std::chrono::seconds(secs);
  } else if (ev.all_day) {
    ev.days = 1;  // RFC 5545: a DATE DTSTART without end lasts one day
  }
  if (ev.duration < Duration(0) || ev.days < 0) {
    warn("event '" + ev.uid + "' ends before it starts; taken as zero length");
    ev.duration = Duration(0);
    ev.days = 0;
  }
  if (icalproperty* rid = icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY)) {
    icaltimetype w;
    const IcalZone* z = nullptr;
    if (resolve(rid, icalproperty_get_recurrenceid(rid), w, z)) {
      ev.has_rid = true;
      ev.rid_at = ical_instant(w, *z);
      ev.rid_day = {w.year, w.month, w.day};
    }
  }
  if (icalproperty* seq = icalcomponent_get_first_property(c, ICAL_SEQUENCE_PROPERTY))
    ev.sequence = icalproperty_get_sequence(seq);
  if (icalproperty* st = icalcomponent_get_first_property(c, ICAL_STATUS_PROPERTY))
    ev.cancelled = icalproperty_get_status(st) == ICAL_STATUS_CANCELLED;
  return ev;
}

Occurrence IcalReader::occurrence_at(const VEvent& ev, const icaltimetype& wall) const {
  Occurrence o;
  o.start = ical_instant(wall, *ev.zone);
  if (ev.all_day) {
    icaltimetype end = wall;
    icaltime_adjust(&end, ev.days, 0, 0, 0);
    o.end = ical_instant(end, *ev.zone);
  } else {
    o.end = o.start + ev.duration;
  }
  return o;
}

bool IcalReader::in_window(const Occurrence& o) const {
  if (o.start >= window_end_) return false;
  if (o.start == o.end) return o.start >= opt_.window_start;
  return o.end > opt_.window_start;
}

// Sub-daily rules combined with day-level BY parts can make libical's iterator walk seconds for
// centuries inside a single call; they never occur in library calendars, so they are refused.
// So are (issue 13) SECONDLY rules filtered by hour or minute (one next() walks up to a day of
// seconds: 20 such events took 45 s of worker CPU) and sub-daily rules with BYSETPOS (libical
// expands a whole set per step: ~3.5 s per event).
bool refused_rule(const icalrecurrencetype& r) {
  bool sub_daily = r.freq == ICAL_SECONDLY_RECURRENCE || r.freq == ICAL_MINUTELY_RECURRENCE ||
                   r.freq == ICAL_HOURLY_RECURRENCE;
  auto set = [](const short* a) { return a[0] != ICAL_RECURRENCE_ARRAY_MAX; };
  if (r.freq == ICAL_SECONDLY_RECURRENCE && (set(r.by_hour) || set(r.by_minute))) return true;
  return sub_daily && (set(r.by_day) || set(r.by_month_day) || set(r.by_year_day) ||
                       set(r.by_week_no) || set(r.by_month) || set(r.by_set_pos));
}

// BYMONTH x BYMONTHDAY that no month has (Feb 30): libical would walk day by day to year 2582.
bool never_matches(const icalrecurrencetype& r) {
  static const int kDays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (r.by_month[0] == ICAL_RECURRENCE_ARRAY_MAX || r.by_month_day[0] == ICAL_RECURRENCE_ARRAY_MAX) return false;
  for (int m = 0; m < ICAL_BY_MONTH_SIZE && r.by_month[m] != ICAL_RECURRENCE_ARRAY_MAX; ++m) {
    int month = icalrecurrencetype_month_month(r.by_month[m]);
    if (month < 1 || month > 12) continue;
    for (int d = 0; d < ICAL_BY_MONTHDAY_SIZE && r.by_month_day[d] != ICAL_RECURRENCE_ARRAY_MAX; ++d)
      if (std::abs(r.by_month_day[d]) <= kDays[month]) return false;
  }
  return true;
}

void IcalReader::expand_rule(const VEvent& ev, icalrecurrencetype rule, std::vector<Occurrence>& occ) {
  if (rule.freq == ICAL_NO_RECURRENCE) {
    warn("event '" + ev.uid + "': unreadable RRULE ignored");
    return;
  }
  if (never_matches(rule)) {
    warn("event '" + ev.uid + "': RRULE names days no month has; it never repeats");
    return;
  }
  if (refused_rule(rule)) {
    warn("event '" + ev.uid + "': sub-daily RRULE with day filters refused (too costly to expand)");
    return;
  }
  std::optional<TimePoint> until;
  if (!icaltime_is_null_time(rule.until)) {
    icaltimetype w = rule.until;
    const IcalZone* z = icaltime_is_utc(w) ? &zones_->utc() : ev.zone;
    if (w.is_date && !ev.all_day) {
      icaltime_adjust(&w, 1, 0, 0, 0);  // a DATE UNTIL includes that whole day
      until = ical_instant(w, *ev.zone) - Duration(1);
    } else {
      w.zone = nullptr;
      until = ical_instant(w, *z);
    }
    rule.until = icaltime_null_time();
  }
  // Skip ahead for long-running rules (keeps absurd frequencies cheap): for fixed-length units and
  // no COUNT/BYSETPOS, the rule's occurrences after DTSTART + k * INTERVAL units are those of the
  // same rule started there (BY parts are calendar filters), so the iterator starts there.
  icaltimetype first = ev.start;
  TimePoint target = opt_.window_start - ev.duration - std::chrono::hours(24 * (ev.days + 2));
  if (rule.count == 0 && rule.by_set_pos[0] == ICAL_RECURRENCE_ARRAY_MAX && target > ev.start_at) {
    long long unit = 0;
    switch (rule.freq) {
      case ICAL_SECONDLY_RECURRENCE: unit = 1; break;
      case ICAL_MINUTELY_RECURRENCE: unit = 60; break;
      case ICAL_HOURLY_RECURRENCE: unit = 3600; break;
      case ICAL_DAILY_RECURRENCE: unit = 86400; break;
      default: break;
    }
    long long gap = std::chrono::duration_cast<std::chrono::seconds>(target - ev.start_at).count();
    long long step = unit * std::max<int>(1, rule.interval);
    if (unit > 0 && gap / step > 1000) {
      long long secs = (gap / step - 2) * step;  // a little early: DST shifts
      icaltime_adjust(&first, static_cast<int>(secs / 86400), 0, 0, static_cast<int>(secs % 86400));
    }
  }
  // DAILY and simple WEEKLY rules (most of a library calendar) are expanded by FastRecurrence,
  // the rest by libical's iterator.
  std::optional<FastRecurrence> fast = FastRecurrence::make(rule, first);
  icalrecur_iterator* it = fast ? nullptr : icalrecur_iterator_new(rule, first);
  if (!fast && !it) {
    warn("event '" + ev.uid + "': RRULE cannot be expanded");
    return;
  }
  auto next = [&]() { return fast ? fast->next() : icalrecur_iterator_next(it); };
  long steps = 0;
  size_t produced = 0;
  for (icaltimetype t = next(); !icaltime_is_null_time(t); t = next()) {
    if (--steps_left_ < 0) {
      if (steps_left_ == -1)
        warn("recurrence expansion stopped at event '" + ev.uid + "': the feed's work budget of " +
             std::to_string(opt_.max_recurrence_steps) + " steps (max_recurrence_steps) is spent; later recurring events show their first occurrence only");
      break;
    }
    if (++steps > kMaxStepsPerRule) {
      warn("event '" + ev.uid + "': RRULE expansion capped after " + std::to_string(kMaxStepsPerRule) + " steps");
      break;
    }
    if (t.year > 9999) break;
    t.zone = nullptr;
    Occurrence o = occurrence_at(ev, t);
    if (until && o.start > *until) break;
    if (o.start >= window_end_) break;
    if (!in_window(o)) continue;
    occ.push_back(o);
    if (++produced >= opt_.max_occurrences_per_event) {
      warn("event '" + ev.uid + "': more than " + std::to_string(opt_.max_occurrences_per_event) +
           " occurrences in the window; the rest are dropped");
      break;
    }
  }
  if (it) icalrecur_iterator_free(it);
}

void IcalReader::expand(const VEvent& ev, const std::vector<const VEvent*>& overrides) {
  std::vector<Occurrence> occ;
  Occurrence first = occurrence_at(ev, ev.start);
  if (in_window(first)) occ.push_back(first);
  bool recurring = !overrides.empty();
  std::set<std::string> seen_rules;
  for (icalproperty* p = icalcomponent_get_first_property(ev.comp, ICAL_RRULE_PROPERTY); p;
       p = icalcomponent_get_next_property(ev.comp, ICAL_RRULE_PROPERTY)) {
    recurring = true;
    const char* text = icalproperty_get_value_as_string(p);
    if (text && !seen_rules.insert(text).second) continue;  // the same RRULE twice
    expand_rule(ev, icalproperty_get_rrule(p), occ);
  }
  for (icalproperty* p = icalcomponent_get_first_property(ev.comp, ICAL_RDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(ev.comp, ICAL_RDATE_PROPERTY)) {
    recurring = true;
    icaldatetimeperiodtype r = icalproperty_get_rdate(p);
    icaltimetype w;
    const IcalZone* z = nullptr;
    if (!icaltime_is_null_time(r.time)) {
      if (!resolve(p, r.time, w, z)) continue;
      Occurrence o = occurrence_at(ev, w);
      if (!w.is_date) {
        o.start = ical_instant(w, *z);
        o.end = o.start + ev.duration;
      }
      if (in_window(o)) occ.push_back(o);
    } else if (resolve(p, r.period.start, w, z)) {
      Occurrence o;
      o.start = ical_instant(w, *z);
      icaltimetype e;
      const IcalZone* ez = nullptr;
      if (!icaltime_is_null_time(r.period.end) && resolve(p, r.period.end, e, ez))
        o.end = ical_instant(e, *ez);
      else
        o.end = o.start + std::chrono::seconds(icaldurationtype_as_int(r.period.duration));
      if (o.end < o.start) o.end = o.start;
      if (in_window(o)) occ.push_back(o);
    }
  }
  // Exclusions: DATE-TIME by instant, DATE by the occurrence's local day.
  std::set<TimePoint> ex_at;
  std::set<std::tuple<int, int, int>> ex_days;
  for (icalproperty* p = icalcomponent_get_first_property(ev.comp, ICAL_EXDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(ev.comp, ICAL_EXDATE_PROPERTY)) {
    icaltimetype w;
    const IcalZone* z = nullptr;
    if (!resolve(p, icalproperty_get_exdate(p), w, z)) continue;
    if (w.is_date) ex_days.insert({w.year, w.month, w.day});
    else ex_at.insert(ical_instant(w, *z));
  }
  // Overrides replace by instant; for an all-day master by day (Outlook writes RECURRENCE-ID of
  // all-day events as a local midnight with a TZID).
  std::set<TimePoint> replaced;
  for (const VEvent* o : overrides) {
    if (ev.all_day) ex_days.insert(o->rid_day);
    else replaced.insert(o->rid_at);
  }
  std::sort(occ.begin(), occ.end(), [](const Occurrence& a, const Occurrence& b) { return a.start < b.start; });
  TimePoint last = TimePoint::min();
  bool any = false;
  for (const Occurrence& o : occ) {
    if (any && o.start == last) continue;
    any = true;
    last = o.start;
    if (ex_at.count(o.start) || replaced.count(o.start)) continue;
    if (!ex_days.empty()) {
      icaltimetype w = ical_wall(o.start, *ev.zone, true);
      if (ex_days.count({w.year, w.month, w.day})) continue;
    }
    if (!ev.cancelled) emit(ev, o, recurring);
  }
  for (const VEvent* ov : overrides) {
    Occurrence o = occurrence_at(*ov, ov->start);
    if (!ev.cancelled && !ov->cancelled && in_window(o)) emit(*ov, o, true);
  }
}

}  // namespace

const IcalReader::EventText& IcalReader::text_of(const VEvent& ev) {
  if (text_for_ == &ev) return text_;
  text_for_ = &ev;
  text_ = EventText{};
  text_.title = html_to_text(ical_text_of(ev.comp, ICAL_SUMMARY_PROPERTY), false, 1024);
  text_.location = html_to_text(ical_text_of(ev.comp, ICAL_LOCATION_PROPERTY), false, 1024);
  ical_add_tags(ev.comp, text_.tags);
  text_.description = html_to_text(ical_text_of(ev.comp, ICAL_DESCRIPTION_PROPERTY), true, 16 * 1024);
  text_.url = ical_text_of(ev.comp, ICAL_URL_PROPERTY);
  text_.image = ical_image_of(ev.comp);
  ical_add_people(ev.comp, text_.people);
  return text_;
}

void IcalReader::emit(const VEvent& ev, const Occurrence& o, bool recurring) {
  if (feed_capped_) return;
  if (out_.catalogue.events.size() >= opt_.max_occurrences) {
    feed_capped_ = true;
    warn("more than " + std::to_string(opt_.max_occurrences) + " occurrences; the rest are dropped");
    return;
  }
  const EventText& t = text_of(ev);
  text_bytes_ += t.title.size() + t.description.size() + t.location.size() + t.url.size() + t.image.size();
  for (const auto& s : t.tags) text_bytes_ += s.size();
  for (const auto& s : t.people) text_bytes_ += s.size();
  if (text_bytes_ > opt_.max_text_bytes) {
    // A recurring event copies its text into every occurrence: 16 KiB of description repeated
    // daily would otherwise multiply the body many times over in memory.
    feed_capped_ = true;
    warn("more than " + std::to_string(opt_.max_text_bytes) +
         " bytes of event text (counted per occurrence); the rest are dropped");
    return;
  }
  CatalogueEvent e;
  e.uid = ev.uid;
  e.id = recurring ? ev.uid + "@" + ical_occurrence_id(o.start, ev.all_day, *ev.zone) : ev.uid;
  e.feed = opt_.feed_id;
  const EventText& text = text_of(ev);
  e.title = text.title;
  e.start = o.start;
  e.end = o.end;
  e.all_day = ev.all_day;
  e.zone = ev.zone->name;
  e.location = text.location;
  e.tags = text.tags;
  e.description = text.description;
  e.url = text.url;
  e.image = text.image;
  e.people = text.people;
  out_.catalogue.events.push_back(std::move(e));
}

Status IcalReader::run(icalcomponent* root, const std::string& x_wr_timezone) {
  TimeZone floating = opt_.default_zone;
  if (!x_wr_timezone.empty()) {
    if (auto z = TimeZone::load(x_wr_timezone)) {
      floating = *z;
      out_.zone = x_wr_timezone;
    } else {
      warn("X-WR-TIMEZONE '" + x_wr_timezone + "' is not a known zone; floating times use " +
           floating.name());
    }
  }
  zones_ = std::make_unique<IcalZones>(root, floating);
  window_end_ = opt_.window_end;
  if (window_end_ - opt_.window_start > opt_.max_window) {
    window_end_ = opt_.window_start + opt_.max_window;
    warn("window shortened to the maximum of " + std::to_string(opt_.max_window.count() / 86'400'000) + " days");
  }

  std::vector<icalcomponent*> calendars;
  if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) calendars.push_back(root);
  for (icalcomponent* k = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT); k;
       k = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT))
    calendars.push_back(k);
  std::vector<VEvent> events;
  for (icalcomponent* cal : calendars) {
    for (icalcomponent* c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
      if (events.size() >= opt_.max_items) {
        warn("more than " + std::to_string(opt_.max_items) + " events; the rest are ignored");
        break;
      }
      if (auto ev = read_event(c)) events.push_back(std::move(*ev));
    }
  }
  // Masters (no RECURRENCE-ID) and overrides, by UID. A UID given twice keeps the higher SEQUENCE
  // (the later one on a tie); an override replaces the master's occurrence at its RECURRENCE-ID.
  std::map<std::string, const VEvent*> masters;
  std::map<std::string, std::map<TimePoint, const VEvent*>> overrides;
  std::vector<const VEvent*> anonymous;
  std::map<std::string, int> anonymous_seen;
  for (VEvent& ev : events) {
    if (ev.anonymous) {  // the same start and summary twice: "-2", "-3", ... in file order
      if (int n = ++anonymous_seen[ev.uid]; n > 1) ev.uid += "-" + std::to_string(n);
      anonymous.push_back(&ev);
      continue;
    }
    if (ev.has_rid) {
      auto& slot = overrides[ev.uid][ev.rid_at];
      if (!slot || slot->sequence <= ev.sequence) slot = &ev;
    } else {
      auto& slot = masters[ev.uid];
      if (!slot || slot->sequence <= ev.sequence) slot = &ev;
    }
  }
  for (const auto& [uid, master] : masters) {
    std::vector<const VEvent*> ovs;
    for (const auto& [at, ov] : overrides[uid]) ovs.push_back(ov);
    expand(*master, ovs);
  }
  for (const auto& [uid, ovs] : overrides) {
    if (masters.count(uid)) continue;
    for (const auto& [at, ov] : ovs) {  // overrides without their master: single events
      Occurrence o = occurrence_at(*ov, ov->start);
      if (!ov->cancelled && in_window(o)) emit(*ov, o, true);
    }
  }
  for (const VEvent* ev : anonymous) expand(*ev, {});
  // Sorted through an index: each event (a dozen strings) is moved once, not n log n times.
  auto& list = out_.catalogue.events;
  std::vector<size_t> order(list.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return list[a].start != list[b].start ? list[a].start < list[b].start : list[a].id < list[b].id;
  });
  std::vector<CatalogueEvent> sorted;
  sorted.reserve(list.size());
  for (size_t i : order) sorted.push_back(std::move(list[i]));
  list = std::move(sorted);
  return {};
}

Result<ParsedFeed> parse_ical(std::string_view body, const FeedParseOptions& options) {
  if (static_cast<int64_t>(body.size()) > options.max_bytes)
    return make_error(options.source + ": " + std::to_string(body.size()) + " bytes is over the limit of " +
                      std::to_string(options.max_bytes));
  std::string charset = options.charset;
  if (charset.empty() && !is_valid_utf8(body)) charset = ical_declared_charset(body);
  auto text = to_utf8(body, charset, options.source);
  if (!text) return text.error();
  ParsedFeed out;
  if (text->repaired > 0)
    out.warnings.push_back(options.source + ": " + std::to_string(text->repaired) +
                           " bytes were not valid UTF-8 and were read as Windows-1252");
  std::string x_wr_timezone;
  if (auto s = ical_precheck(text->text, options.source, x_wr_timezone); !s) return s.error();
  if (size_t glued = ical_repair_glued_tzid(text->text); glued > 0)
    out.warnings.push_back(options.source + ": " + std::to_string(glued) +
                           " TZID parameters with the time inside the quotes repaired (Outlook)");
  // libical builds the whole tree first (~8 KB per event: a 19 MiB file of 150 000 events peaked
  // at 1.1 GiB), so a file with more events than max_items is refused before it is parsed.
  size_t vevents = 0;
  for (size_t at = 0; (at = text->text.find("BEGIN:VEVENT", at)) != std::string::npos; at += 12)
    if (at == 0 || text->text[at - 1] == '\n') ++vevents;
  if (vevents > options.max_items)
    return make_error(options.source + ": more than " + std::to_string(options.max_items) + " events (" +
                      std::to_string(vevents) + " VEVENTs): over a limit that bounds the memory a feed may take; the feed is refused");
  CompPtr root(icalparser_parse_string(text->text.c_str()), icalcomponent_free);
  if (!root) return make_error("not a readable iCalendar file", SourcePlace{options.source, 1, 1});
  if (int errors = ical_count_errors(root.get()); errors > 0)
    out.warnings.push_back(options.source + ": " + std::to_string(errors) + " malformed properties ignored");
  IcalReader reader(options, out);
  if (auto s = reader.run(root.get(), x_wr_timezone); !s) return s.error();
  return out;
}

}  // namespace branchcast
