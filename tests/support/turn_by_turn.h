// `branchcast run` turn by turn on a fake clock (issue 12 item 5), for the tests that drive an
// Appliance: one screen's real Scheduler and ScreenRunner behind the real ScreenWall
// (appliance/screen_wall.h), then the Appliance, on the real RunLoop - as run_screens adds them -
// over a hand-turned EventLoop (manual_event_loop.h) and the test's fake clock, player, cards and
// display. Each turn runs what was posted, then the run loop's turn (both clocks read once:
// clock-step detection, the wall's frame, the appliance's tick); run_until() then moves the clock
// to when the loop asked to wake. Waits for worker threads are hang guards, never timing checks.
//
// The test owns the clock, loop, fakes and the Appliance; they outlive the TurnByTurn.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <string>

#include "appliance/appliance.h"
#include "appliance/run_loop.h"
#include "appliance/screen_wall.h"
#include "media/screen_runner.h"
#include "tests/ble/fakes/fake_clock.h"
#include "tests/support/manual_event_loop.h"

namespace branchcast::testing {

struct TurnByTurnScreen {
  ScreenRunnerOptions runner;  // runner.screen_id names the screen
  ScheduleInputs inputs;       // the screen's full inputs; the appliance gates them (clock trust)
  Player& player;
  CardRenderer& cards;
  Display& display;
};

class TurnByTurn {
 public:
  // Builds the screen and the run loop, starts the screen and then the appliance at the clock's
  // time. `item_started` (optional) is called after the appliance heard of each item, in its turn.
  TurnByTurn(FakeClock& clock, ManualEventLoop& loop, LogSink& log, Appliance& appliance, TurnByTurnScreen screen,
             std::function<void(const Turn&)> item_started = {})
      : clock_(clock), loop_(loop), item_started_(std::move(item_started)) {
    const std::string id = screen.runner.screen_id;
    scheduler_ = std::make_unique<Scheduler>(appliance.schedule_inputs(std::move(screen.inputs)));
    runner_ = std::make_unique<ScreenRunner>(std::move(screen.runner), *scheduler_, screen.player, screen.cards,
                                             screen.display, TimeZone::utc(), Logger(log, "screen"));
    runner_->start(clock_.now(), clock_.monotonic());
    ScreenWallEvents events;
    events.item_started = [this, &appliance](const std::string& s, const Showing& showing, const ScreenStats& stats) {
      appliance.on_item_started(s, showing, stats);
      if (item_started_) item_started_(Turn{clock_.now(), clock_.monotonic()});
    };
    wall_ = std::make_unique<ScreenWall>(std::vector<WallScreen>{{id, scheduler_.get(), runner_.get(), nullptr}},
                                         ScreenWallOptions{}, std::move(events), Logger(log, "run"));
    run_loop_ = std::make_unique<RunLoop>(loop_, clock_, Logger(log, "clock"), RunLoopOptions{});
    run_loop_->add(*wall_);
    run_loop_->add(appliance);
    appliance.start({{id, scheduler_.get()}}, run_loop_->poster(), clock_.now());
  }

  // What the GLib loop would do at the clock's time: the posted jobs, then the turn.
  void turn() {
    ++turns_;
    loop_.run_posted();
    run_loop_->turn();
  }
  // When the run loop asked to turn next (frame-rate while the screen moves, else the earliest
  // deadline), on the wall clock.
  TimePoint next_turn() const { return clock_.now() + (loop_.wakes.at(1).when - clock_.monotonic()); }
  // Turns until the clock reaches `end` (a turn at `end` too).
  void run_until(TimePoint end) {
    turn();
    while (clock_.now() < end) {
      clock_.set(std::min(next_turn(), end));
      turn();
    }
  }
  // Turns at the clock's time (it does not move) until `done()`, waiting for the workers' posts.
  bool settle(const std::function<bool()>& done) {
    while (!done()) {
      if (!loop_.wait_for_post()) return false;  // a hang guard, never a timing assertion
      turn();
    }
    return true;
  }

  Scheduler& scheduler() { return *scheduler_; }
  ScreenRunner& runner() { return *runner_; }
  int turns() const { return turns_; }

 private:
  FakeClock& clock_;
  ManualEventLoop& loop_;
  std::function<void(const Turn&)> item_started_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<ScreenRunner> runner_;
  std::unique_ptr<ScreenWall> wall_;
  std::unique_ptr<RunLoop> run_loop_;
  int turns_ = 0;
};

}  // namespace branchcast::testing
