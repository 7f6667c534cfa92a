// The screen scheduler: what one screen shows when (formats.md section 2, selection semantics).
//
// Pure: it never reads a clock or touches the OS. The owner passes `now` to start() and tick() and
// sleeps until next_deadline() (or an event that changes the context). Deadline-driven, so cost
// grows with the number of item changes, not with elapsed time; a wall clock step costs one
// start again, not the items in between (tick(), clock_stepped()). Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock_step.h"
#include "common/time_zone.h"
#include "config/branch_hours.h"
#include "config/settings.h"
#include "feeds/catalogue.h"

namespace branchcast {

// A ranked pick for a `recommended` card (filled by the recommender off-loop).
struct Recommendation {
  std::string id;
  std::string kind;   // "book", "event", ...
  std::string title;
  std::string subtitle;  // author(s), or the event's time and room
  std::string image;
};

// An emergency message that beats every rule (and standby) until cleared or `until`.
struct Override {
  std::string text;
  std::optional<TimePoint> until;
};

struct ScheduleInputs {
  PlaylistSettings playlist;
  TimeZone zone = TimeZone::utc();
  BranchHours hours;                    // real opening hours (default: always open, no closures)
  std::string branch_name;              // tells an event held elsewhere from one at the branch
  std::string closures_feed;            // feed id whose all-day events are closures ("" = none)
  std::optional<PowerSchedule> power;   // screens with power go to standby when not awake
  // A video's natural length (GStreamer discoverer). nullopt: unknown, a 10 s placeholder is used.
  std::function<std::optional<Duration>(const PlaylistItem&)> media_length;
};

inline constexpr Duration kDefaultStillDuration{10'000};  // image/text/card without `duration`
inline constexpr Duration kUnknownVideoLength{10'000};    // placeholder until a length is known
// How far past its next deadline tick() replays changes one by one. The loop ticks every frame and
// the systemd watchdog ends a loop stalled for long, so a larger gap is a wall clock step.
inline constexpr Duration kMaxReplay{60'000};

enum class ShowingMode { kItem, kStandby, kOverride };

// What the screen shows now. `serial` changes whenever the showing changes.
struct Showing {
  ShowingMode mode = ShowingMode::kItem;
  uint64_t serial = 0;
  TimePoint start{};
  TimePoint planned_end{};   // when it ends if nothing cuts in (standby/override: TimePoint::max()
                             // or their known end)
  std::string rule;          // rule name, "default", "standby", "override"
  ItemKind kind = ItemKind::kImage;
  const PlaylistItem* item = nullptr;  // into `inputs`' playlist; null for standby/override
  std::string ref;           // simulate's fourth column: path, card id, text's first 40 chars;
                             // standby: "-" or "closed: <name>" on a closure day
  TimePoint wakes = TimePoint::max();  // standby: when the screen's power window opens again
                                       // (max: not within the next 64 changes)
  std::string text;          // text / override items
  std::optional<CatalogueEvent> event;              // events cards
  std::optional<Recommendation> recommendation;     // recommended cards
  bool length_is_placeholder = false;               // a video whose length was unknown
  // The inputs `item` points into: kept alive by every copy of the Showing, so a Showing handed
  // out stays valid across restart() and update_inputs() (null for standby/override).
  std::shared_ptr<const ScheduleInputs> inputs{};
};

class Scheduler {
 public:
  explicit Scheduler(ScheduleInputs inputs);

  // Starts as if the appliance started at `now`: the sequence active then, from its first item.
  void start(TimePoint now);
  // Replaces the inputs and starts again at `now` as start() does (clock trust: the full inputs
  // after the default playlist). Context (presence, events, picks, override) is kept and the
  // serial keeps counting, so an owner sees a new showing. The previous inputs stay alive until
  // the next restart(): Showings handed out before stay valid.
  void restart(ScheduleInputs inputs, TimePoint now);
  // A configuration reload (issue 13): replaces the inputs WITHOUT starting again. The showing
  // on screen plays on to its planned end (a standby or an override stays as it is); the item
  // after it is the first of the sequence the new inputs make active then. Changes that cut in
  // now, as a context change would: an interrupt rule of the new playlist becoming active that
  // was not active before (rules are matched by name), and the opening hours or power schedule
  // putting the screen to sleep or waking it. Context (presence, events, picks, override) is kept.
  void update_inputs(ScheduleInputs inputs, TimePoint now);
  // Counts update_inputs() calls: what follows the showing may have changed (ScreenRunner
  // prerolls again).
  uint64_t inputs_serial() const { return inputs_serial_; }
  // The wall clock was set (common/clock_step.h): starts again at `now` with the same inputs, as
  // restart() does - the sequence active at `now` from its first item, context kept, the serial
  // counting on - instead of replaying the gap (forward) or holding the showing until the old
  // deadlines come round again (back). Does nothing before start().
  void clock_stepped(TimePoint now);
  // Advances to `now`, applying every change due up to it in order. A `now` that cannot follow
  // the last time given - more than kClockStepThreshold before it, or more than kMaxReplay past
  // next_deadline() - is taken as a clock step and handled as clock_stepped(now), so an owner that
  // does not detect steps itself never replays months item by item nor freezes the showing.
  // Earlier times within the threshold change nothing. Returns true when the showing changed.
  bool tick(TimePoint now);
  // The earliest instant at which tick() may change the showing (item end, an interrupt rule's
  // window opening, standby, override expiry, an event's lead time). TimePoint::max() if none.
  TimePoint next_deadline() const;
  const Showing& showing() const { return showing_; }
  // What will show after the current item if nothing changes (for prerolling). nullopt for
  // standby/override or when unknowable.
  std::optional<Showing> upcoming() const;

  // For a screen that plays (ScreenRunner), right after start(): the first showing holds its
  // place until first_shown() - tick() changes nothing and context changes are kept for then -
  // because a first picture takes a while to decode, and the appliance a while to start.
  void hold_until_shown() { holding_ = true; }
  // The first showing reached the screen at `now`: the hold ends; the showing start() chose starts
  // at `now` with its whole length (as if the appliance had started then, so a run's proof of play
  // is `simulate --from` its first item's start), and the context changes kept meanwhile apply at
  // `now` as they would have right after start() (an interrupt rule cuts in, other changes wait
  // for the item's end).
  void first_shown(TimePoint now);

  // Context changes take effect at `now`: an interrupt rule that becomes active cuts in at once,
  // other changes apply when the current item ends.
  void set_presence(PresenceLevel level, TimePoint now);
  void set_events(std::vector<CatalogueEvent> events, TimePoint now);  // sorted here
  // The same without a copy (issue 13, memory): every screen and the feed service share one
  // published catalogue's events, already sorted by start and never changed once published.
  void set_shared_events(std::shared_ptr<const std::vector<CatalogueEvent>> events, TimePoint now);
  void set_recommendations(std::vector<Recommendation> picks, TimePoint now);
  void set_override(std::optional<Override> o, TimePoint now);

  // Is the screen awake at t (opening hours and power), regardless of overrides?
  bool awake_at(TimePoint t) const;
  // The branch's hours as the scheduler sees them (closures from the closures feed included).
  const BranchHours& hours() const { return hours_; }

 private:
  // One entry of the active sequence: an item and the rule it comes from.
  struct SequenceEntry {
    const PlaylistItem* item;
    const std::string* rule;  // rule name, or "default"
  };
  struct Card {
    std::optional<CatalogueEvent> event;
    std::optional<Recommendation> recommendation;
  };

  LocalTime local(TimePoint t) const { return in_->zone.to_local(t); }
  std::vector<int> active_rules_at(TimePoint t, const LocalTime& l) const;
  bool has_new_interrupt(const std::vector<int>& rules) const;
  void activate(const std::vector<int>& rules);
  // Shows the playable entry at or after seq_pos_ (wrapping), starting at t.
  void show_from_position(TimePoint t);
  std::vector<Card> expand(const PlaylistItem& item, TimePoint t) const;
  void show_card(TimePoint t, const SequenceEntry& entry);
  void show_standby(TimePoint t);
  void show_override(TimePoint t);
  void resume(TimePoint t);
  void start_again(TimePoint t);
  // Applies every change due up to t in order (tick() without its clock step guard).
  void advance_to(TimePoint t);
  void handle_at(TimePoint t);
  void on_item_end(TimePoint t);
  void on_boundary(TimePoint t);
  void refresh_boundary(TimePoint t);
  Duration length_of(const PlaylistItem& item, bool& placeholder) const;
  void set_showing(Showing s);
  void update_closed_events();  // closed_event_ids_ from events_ and hours_

  std::shared_ptr<const ScheduleInputs> in_;
  std::shared_ptr<const ScheduleInputs> previous_in_;  // see restart()
  BranchHours hours_;  // in_->hours plus the closures feed's closures (from the last set_events)
  Showing showing_;
  PresenceLevel presence_ = PresenceLevel::kEmpty;
  // Shared, never changed in place (set_events): copies of the scheduler (upcoming()) share it.
  std::shared_ptr<const std::vector<CatalogueEvent>> events_ = std::make_shared<const std::vector<CatalogueEvent>>();
  std::vector<Recommendation> picks_;
  std::set<std::string> closed_event_ids_;  // events on days the branch is closed (rule 9)
  std::optional<Override> override_;
  std::vector<int> active_;          // rule indices of the playing sequence; empty = default
  std::vector<SequenceEntry> seq_;   // the playing sequence
  size_t seq_pos_ = 0;               // entry showing now
  std::vector<Card> cards_;          // expansion of the entry showing now
  size_t card_pos_ = 0;
  bool started_ = false;
  TimePoint now_{};
  TimePoint boundary_ = TimePoint::max();        // next instant a context condition may change
  TimePoint awake_boundary_ = TimePoint::max();  // cached: next possible awake/standby change
  TimePoint rules_boundary_ = TimePoint::max();  // cached: next possible interrupt-rule change
  bool context_dirty_ = true;                    // events/presence/override changed since caching
  uint64_t serial_ = 0;
  uint64_t start_serial_ = 0;  // the showing start() chose
  bool holding_ = false;       // see hold_until_shown()
  uint64_t inputs_serial_ = 0;  // see inputs_serial()
};

}  // namespace branchcast
