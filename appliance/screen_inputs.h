// One truth for `run`, `simulate`, `preview` and `schedule`: what a screen's scheduler is told
// besides its playlist, computed by the same code whether the screen plays or is simulated.
//
// `run` (appliance/appliance.h) loads the feeds with FeedService (each feed's cached copy from the state
// database at start, then a fetch of every feed, then one per `refresh`), and at every publish
// tells each scheduler the events and, once the recommender's model is built, the screen's picks
// (screen_picks()). Presence comes from the BLE counter, overrides from `branchcast override`.
//
// The offline commands replay the same on a virtual clock (SimulatedContext, a TimelineContext for
// simulate_timeline()): the feeds are loaded through the same FeedService (the cached copies in
// $BRANCHCAST_STATE_DIR, or fetched when a feed has none; the state database is never written),
// published right after the start as `run` publishes them (so, as in `run`, they change what plays
// from the end of the first item on, or at once for an interrupt rule), and again at every feed's
// refresh (the picks ranked again at that instant). What cannot be known ahead comes from flags:
// the presence level (`--presence`) and an override (`--override`).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/time_zone.h"
#include "config/settings.h"
#include "feeds/catalogue.h"
#include "recommend/model.h"
#include "scheduler/scheduler.h"
#include "scheduler/timeline.h"

namespace branchcast {

// The picks a screen's `recommended` items draw from at `now` (the best 50 of the screen's
// ranking; the scheduler keeps those of each item's kinds, `count` of them).
std::vector<Recommendation> screen_picks(const RecommenderModel& model, const ScreenSettings& screen,
                                         PresenceLevel presence, TimePoint now, const TimeZone& zone);

// The feeds as `run` has them right after starting at `start`: every feed's cached copy from the
// state database in $BRANCHCAST_STATE_DIR, and a fetch (file:, http(s):) of each feed that has no
// usable cached copy. Nothing is written. Feeds that cannot be loaded are left out with one note
// line each on `notes` (when given).
Catalogue load_feeds_as_run(const ApplianceSettings& settings, const TimeZone& zone, TimePoint start,
                            std::ostream* notes);

// An emergency override given on the command line: `TEXT`, or `TEXT@T..T` (either end may be left
// out: `TEXT@T..`, `TEXT@..T`), times as --from takes them.
struct OverrideOption {
  std::string text;
  std::optional<TimePoint> from;   // nullopt: from the start
  std::optional<TimePoint> until;  // nullopt: until the end
};
Result<OverrideOption> parse_override_option(const std::string& value, const TimeZone& zone);

// What the flags say about the things that cannot be known ahead.
struct SimulationFlags {
  PresenceLevel presence = PresenceLevel::kEmpty;
  std::optional<OverrideOption> override_;
};

// The changes a screen's scheduler gets while `run` plays from `start`, for simulate_timeline().
class SimulatedContext final : public TimelineContext {
 public:
  // `playlist` is the screen's (its ScheduleInputs'); `start` is where simulate_timeline starts.
  SimulatedContext(const ApplianceSettings& settings, const ScreenSettings& screen, const PlaylistSettings& playlist,
                   Catalogue catalogue, SimulationFlags flags, TimePoint start);
  TimePoint next_change() const override;
  void apply(Scheduler& scheduler, TimePoint t) override;

  // How many times the picks were ranked (benchmarks).
  size_t rankings() const { return rankings_; }

 private:
  ScreenSettings screen_;
  BranchSettings branch_;
  TimeZone zone_;
  Catalogue catalogue_;
  SimulationFlags flags_;
  TimePoint start_;
  std::vector<Duration> refresh_;  // each feed's refresh period
  bool has_recommended_ = false;   // the playlist has `recommended` items: picks are worth ranking
  bool started_ = false;
  TimePoint next_publish_ = TimePoint::max();
  bool override_pending_ = false;
  size_t rankings_ = 0;
};

}  // namespace branchcast
