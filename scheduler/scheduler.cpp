#include "scheduler/scheduler.h"

#include <algorithm>

#include "scheduler/conditions.h"

namespace branchcast {
namespace {

const std::string kDefaultRule = "default";
constexpr Duration kMinimumLength{100};  // no item shorter than this: guarantees progress

// The first 40 characters (UTF-8 code points) of a text, with tabs and newlines as spaces.
std::string text_ref(const std::string& text) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < text.size() && chars < 40; ++chars) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > text.size()) len = text.size() - i;
    if (c == '\t' || c == '\n' || c == '\r') out += ' ';
    else out.append(text, i, len);
    i += len;
  }
  return out;
}

}  // namespace

Scheduler::Scheduler(ScheduleInputs inputs)
    : in_(std::make_shared<const ScheduleInputs>(std::move(inputs))), hours_(in_->hours) {}

std::vector<int> Scheduler::active_rules_at(TimePoint t, const LocalTime& l) const {
  ConditionContext ctx{&in_->zone, presence_, events_.get(), &hours_};
  std::vector<int> out;
  int best = 0;
  const auto& rules = in_->playlist.rules;
  for (int i = 0; i < static_cast<int>(rules.size()); ++i) {
    if (!condition_holds(rules[i].when, t, l, ctx)) continue;
    if (out.empty() || rules[i].priority > best) {
      out.assign(1, i);
      best = rules[i].priority;
    } else if (rules[i].priority == best) {
      out.push_back(i);
    }
  }
  return out;
}

bool Scheduler::has_new_interrupt(const std::vector<int>& rules) const {
  for (int r : rules)
    if (in_->playlist.rules[r].interrupt && std::find(active_.begin(), active_.end(), r) == active_.end())
      return true;
  return false;
}

void Scheduler::activate(const std::vector<int>& rules) {
  active_ = rules;
  seq_.clear();
  if (rules.empty()) {
    for (const auto& item : in_->playlist.default_items) seq_.push_back({&item, &kDefaultRule});
  } else {
    for (int r : rules)
      for (const auto& item : in_->playlist.rules[r].items)
        seq_.push_back({&item, &in_->playlist.rules[r].name});
  }
  seq_pos_ = 0;
  cards_.clear();
  card_pos_ = 0;
}

std::vector<Scheduler::Card> Scheduler::expand(const PlaylistItem& item, TimePoint t) const {
  std::vector<Card> out;
  if (item.kind == ItemKind::kEvents) {
    const auto& q = item.events;
    for (const auto& e : *events_) {
      if (static_cast<int>(out.size()) >= q.next) break;
      if (q.within && e.start > t + *q.within) break;
      if (e.end <= t && !(e.end == e.start && e.start > t)) continue;  // already over
      if (!event_matches(e, q.feed, q.tags)) continue;
      if (event_at_closed_branch(e, hours_, in_->zone, in_->branch_name)) continue;
      out.push_back(Card{e, std::nullopt});
    }
  } else if (item.kind == ItemKind::kRecommended) {
    const auto& q = item.recommended;
    for (const auto& r : picks_) {
      if (static_cast<int>(out.size()) >= q.count) break;
      if (!q.kinds.empty() && std::find(q.kinds.begin(), q.kinds.end(), r.kind) == q.kinds.end()) continue;
      if (r.kind == "event" && closed_event_ids_.count(r.id)) continue;
      out.push_back(Card{std::nullopt, r});
    }
  }
  return out;
}

Duration Scheduler::length_of(const PlaylistItem& item, bool& placeholder) const {
  placeholder = false;
  Duration d = kDefaultStillDuration;
  if (item.duration) {
    d = *item.duration;
  } else if (item.kind == ItemKind::kVideo) {
    std::optional<Duration> natural;
    if (in_->media_length) natural = in_->media_length(item);
    if (natural && natural->count() > 0) {
      d = *natural;
    } else {
      d = kUnknownVideoLength;
      placeholder = true;
    }
  }
  return std::max(d, kMinimumLength);
}

void Scheduler::set_showing(Showing s) {
  s.serial = ++serial_;
  if (s.item) s.inputs = in_;
  showing_ = std::move(s);
}

void Scheduler::show_card(TimePoint t, const SequenceEntry& entry) {
  const PlaylistItem& item = *entry.item;
  Showing s;
  s.mode = ShowingMode::kItem;
  s.start = t;
  s.rule = *entry.rule;
  s.kind = item.kind;
  s.item = &item;
  Duration len = length_of(item, s.length_is_placeholder);
  s.planned_end = t + len;
  switch (item.kind) {
    case ItemKind::kImage:
    case ItemKind::kVideo: s.ref = item.path; break;
    case ItemKind::kText:
      s.text = item.text;
      s.ref = text_ref(item.text);
      break;
    case ItemKind::kNearby: s.ref = "nearby"; break;
    case ItemKind::kEvents:
      s.event = cards_[card_pos_].event;
      s.ref = s.event->id;
      break;
    case ItemKind::kRecommended:
      s.recommendation = cards_[card_pos_].recommendation;
      s.ref = s.recommendation->id;
      break;
  }
  set_showing(std::move(s));
}

void Scheduler::show_from_position(TimePoint t) {
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t tries = 0; tries < seq_.size(); ++tries) {
      const SequenceEntry& entry = seq_[seq_pos_];
      ItemKind k = entry.item->kind;
      if (k == ItemKind::kEvents || k == ItemKind::kRecommended) {
        cards_ = expand(*entry.item, t);
        card_pos_ = 0;
        if (cards_.empty()) {
          seq_pos_ = (seq_pos_ + 1) % seq_.size();
          continue;
        }
      } else {
        cards_.clear();
      }
      show_card(t, entry);
      return;
    }
    // Nothing in the active sequence can play now (only cards with no data): play the default
    // list instead, keeping the active rules so the sequence is tried again when it ends.
    if (pass == 0 && !active_.empty()) {
      auto keep = active_;
      activate({});
      active_ = keep;
    }
  }
  // Even the default list has nothing to show: an empty text slide keeps the screen alive.
  Showing s;
  s.start = t;
  s.planned_end = t + kDefaultStillDuration;
  s.rule = kDefaultRule;
  s.kind = ItemKind::kText;
  s.ref = "";
  set_showing(std::move(s));
}

void Scheduler::show_standby(TimePoint t) {
  std::string reason = standby_reason(hours_, local(t));
  if (showing_.mode == ShowingMode::kStandby && serial_ > 0 && showing_.ref == reason) return;
  active_.clear();
  seq_.clear();
  Showing s;
  int guard = 0;
  s.mode = ShowingMode::kStandby;
  s.start = t;
  s.planned_end = TimePoint::max();
  s.rule = "standby";
  s.ref = std::move(reason);
  for (TimePoint w = t; w != TimePoint::max();) {  // closure days end at midnight: look past them
    w = next_awake_change(hours_, in_->power, w, in_->zone);
    if (w != TimePoint::max() && screen_awake(hours_, in_->power, local(w))) {
      s.wakes = w;
      break;
    }
    if (++guard > 64) break;
  }
  set_showing(std::move(s));
}

void Scheduler::show_override(TimePoint t) {
  active_.clear();
  seq_.clear();
  Showing s;
  s.mode = ShowingMode::kOverride;
  s.start = t;
  s.planned_end = override_->until.value_or(TimePoint::max());
  s.rule = "override";
  s.kind = ItemKind::kText;
  s.text = override_->text;
  s.ref = text_ref(override_->text);
  set_showing(std::move(s));
}

void Scheduler::resume(TimePoint t) {
  if (override_) {
    show_override(t);
    return;
  }
  LocalTime l = local(t);
  if (!screen_awake(hours_, in_->power, l)) {
    show_standby(t);
    return;
  }
  activate(active_rules_at(t, l));
  show_from_position(t);
}

void Scheduler::start(TimePoint now) {
  now_ = now;
  started_ = true;
  showing_ = Showing{};
  context_dirty_ = true;
  resume(now);
  refresh_boundary(now);
  start_serial_ = showing_.serial;
}

void Scheduler::first_shown(TimePoint now) {
  if (!holding_) return;
  holding_ = false;
  if (!started_) return;
  if (showing_.serial == start_serial_ && showing_.mode == ShowingMode::kItem && now > showing_.start &&
      showing_.planned_end != TimePoint::max()) {
    showing_.planned_end += now - showing_.start;
    showing_.start = now;
  }
  now_ = std::max(now_, now);
  if (override_ && showing_.mode != ShowingMode::kOverride) show_override(now);
  handle_at(now);
}

void Scheduler::start_again(TimePoint now) {
  active_.clear();
  seq_.clear();
  seq_pos_ = 0;
  cards_.clear();
  card_pos_ = 0;
  start(now);
}

void Scheduler::restart(ScheduleInputs inputs, TimePoint now) {
  previous_in_ = std::move(in_);
  in_ = std::make_shared<const ScheduleInputs>(std::move(inputs));
  auto feed_closures = hours_.feed_closures();
  hours_ = in_->hours;
  if (!in_->closures_feed.empty()) hours_.set_feed_closures(std::move(feed_closures));
  update_closed_events();
  start_again(now);
}

void Scheduler::update_inputs(ScheduleInputs inputs, TimePoint now) {
  if (started_ && !holding_) tick(now);
  std::vector<std::string> active_names;  // the rules playing, to find them in the new inputs
  for (int r : active_) active_names.push_back(in_->playlist.rules[r].name);
  previous_in_ = std::move(in_);
  in_ = std::make_shared<const ScheduleInputs>(std::move(inputs));
  ++inputs_serial_;
  auto feed_closures = hours_.feed_closures();
  hours_ = in_->hours;
  if (!in_->closures_feed.empty()) hours_.set_feed_closures(std::move(feed_closures));
  update_closed_events();
  // The sequence pointed into the old inputs: the item after the showing starts a new one (the
  // showing itself keeps its inputs alive, Showing::inputs).
  active_.clear();
  for (int i = 0; i < static_cast<int>(in_->playlist.rules.size()); ++i)
    if (std::find(active_names.begin(), active_names.end(), in_->playlist.rules[i].name) != active_names.end())
      active_.push_back(i);
  seq_.clear();
  seq_pos_ = 0;
  cards_.clear();
  card_pos_ = 0;
  context_dirty_ = true;
  if (!started_ || holding_) return;
  handle_at(std::max(now, now_));
}

void Scheduler::clock_stepped(TimePoint now) {
  if (started_) start_again(now);
}

void Scheduler::on_item_end(TimePoint t) {
  std::vector<int> rules = active_rules_at(t, local(t));
  bool fallback = !seq_.empty() && !active_.empty() && *seq_.front().rule == kDefaultRule;
  if (rules != active_ || seq_.empty()) {
    activate(rules);
    show_from_position(t);
    return;
  }
  if (card_pos_ + 1 < cards_.size()) {
    ++card_pos_;
    show_card(t, seq_[seq_pos_]);
    return;
  }
  seq_pos_ = (seq_pos_ + 1) % seq_.size();
  if (seq_pos_ == 0 && fallback) activate(rules);  // try the real sequence again
  show_from_position(t);
}

void Scheduler::handle_at(TimePoint t) {
  now_ = t;
  if (override_) {
    if (override_->until && *override_->until <= t) {
      override_.reset();
      resume(t);
    }
    refresh_boundary(t);
    return;
  }
  LocalTime l = local(t);
  bool awake = screen_awake(hours_, in_->power, l);
  if (showing_.mode == ShowingMode::kStandby) {
    if (awake) resume(t);
    else show_standby(t);  // a new line when the reason changes (a closure day begins or ends)
  } else if (!awake) {
    show_standby(t);
  } else if (t >= showing_.planned_end) {
    on_item_end(t);
  } else {
    std::vector<int> rules = active_rules_at(t, l);
    if (rules != active_ && has_new_interrupt(rules)) {
      activate(rules);
      show_from_position(t);
    }
  }
  refresh_boundary(t);
}

void Scheduler::refresh_boundary(TimePoint t) {
  if (override_) {
    boundary_ = override_->until.value_or(TimePoint::max());
    return;
  }
  // Clock-driven boundaries do not depend on what is showing: recompute them only once passed or
  // when the context changed (context_dirty_), so an item change costs one rule evaluation.
  if (context_dirty_ || t >= awake_boundary_)
    awake_boundary_ = next_awake_change(hours_, in_->power, t, in_->zone);
  if (context_dirty_ || t >= rules_boundary_) {
    ConditionContext ctx{&in_->zone, presence_, events_.get(), &hours_};
    rules_boundary_ = TimePoint::max();
    for (const auto& rule : in_->playlist.rules)
      if (rule.interrupt) rules_boundary_ = std::min(rules_boundary_, next_condition_change(rule.when, t, ctx));
  }
  context_dirty_ = false;
  boundary_ = awake_boundary_;
  if (showing_.mode == ShowingMode::kItem) boundary_ = std::min(boundary_, rules_boundary_);
}

TimePoint Scheduler::next_deadline() const {
  TimePoint d = boundary_;
  if (showing_.mode == ShowingMode::kItem) d = std::min(d, showing_.planned_end);
  return d;
}

bool Scheduler::tick(TimePoint now) {
  if (!started_ || holding_) return false;
  uint64_t before = serial_;
  TimePoint due = next_deadline();
  if (now < now_ - kClockStepThreshold || (due != TimePoint::max() && now - due > kMaxReplay)) {
    start_again(now);
    return true;
  }
  advance_to(now);
  return serial_ != before;
}

void Scheduler::advance_to(TimePoint t) {
  for (TimePoint d = next_deadline(); d <= t; d = next_deadline()) handle_at(d);
  now_ = std::max(now_, t);
}

std::optional<Showing> Scheduler::upcoming() const {
  if (showing_.mode != ShowingMode::kItem) return std::nullopt;
  Scheduler copy(*this);
  copy.advance_to(showing_.planned_end);  // replays the boundaries before it, however far back
  if (copy.showing_.mode != ShowingMode::kItem || copy.serial_ == serial_) return std::nullopt;
  return copy.showing_;
}

bool Scheduler::awake_at(TimePoint t) const {
  return screen_awake(hours_, in_->power, local(t));
}

void Scheduler::set_presence(PresenceLevel level, TimePoint now) {
  tick(now);
  presence_ = level;
  context_dirty_ = true;
  if (started_ && !holding_) handle_at(now);
}

void Scheduler::set_events(std::vector<CatalogueEvent> events, TimePoint now) {
  std::stable_sort(events.begin(), events.end(),
                   [](const CatalogueEvent& a, const CatalogueEvent& b) { return a.start < b.start; });
  set_shared_events(std::make_shared<const std::vector<CatalogueEvent>>(std::move(events)), now);
}

void Scheduler::set_shared_events(std::shared_ptr<const std::vector<CatalogueEvent>> events, TimePoint now) {
  tick(now);
  events_ = events ? std::move(events) : std::make_shared<const std::vector<CatalogueEvent>>();
  // A closures feed that failed keeps its last good closures: only a feed that gave events
  // replaces them (its events are the closures, not cards).
  if (!in_->closures_feed.empty()) {
    bool any = std::any_of(events_->begin(), events_->end(),
                           [&](const CatalogueEvent& e) { return e.feed == in_->closures_feed; });
    if (any) hours_.set_feed_closures(closures_from_events(*events_, in_->closures_feed, in_->zone));
  }
  update_closed_events();
  context_dirty_ = true;
  if (started_ && !holding_) handle_at(now);
}

void Scheduler::update_closed_events() {
  closed_event_ids_.clear();
  for (const auto& e : *events_)
    if (event_at_closed_branch(e, hours_, in_->zone, in_->branch_name)) closed_event_ids_.insert(e.id);
}

void Scheduler::set_recommendations(std::vector<Recommendation> picks, TimePoint now) {
  tick(now);
  picks_ = std::move(picks);
}

void Scheduler::set_override(std::optional<Override> o, TimePoint now) {
  tick(now);
  if (o && o->until && *o->until <= now) o.reset();
  bool had = override_.has_value();
  override_ = std::move(o);
  context_dirty_ = true;
  if (!started_ || holding_) return;
  if (override_) show_override(now);
  else if (had) resume(now);
  refresh_boundary(now);
}

}  // namespace branchcast
