// The one run loop of `branchcast run` (issue 12): owns the turns on the GLib loop (EventLoop),
// reads both clocks once per turn into a Turn, tells every Ticker (common/ticker.h) about a wall
// clock step (one ClockStepDetector in a ClockStepWatch: one log line), ticks every Ticker that is due, and sleeps
// until the earliest deadline: frame-rate turns (on the frame grid; late frames are dropped, not
// queued) only while a Ticker is due at once (a video, a crossfade, an item prerolling, a
// recording); otherwise at most max_idle. Posted jobs run on the loop thread and are followed by
// a turn at once, so what they changed is handled with that turn's `now`.
//
// SIGINT and SIGTERM end the loop, and so do quit() and run_for. Loop thread only, except
// poster(). The loop runs once (common/event_loop.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/clock.h"
#include "appliance/clock_step_watch.h"
#include "common/event_loop.h"
#include "common/log.h"
#include "common/ticker.h"

namespace branchcast {

struct RunLoopOptions {
  Duration frame{33};                // the frame period while something moves
  Duration max_idle{5000};           // the longest sleep; <= frame: a turn every frame
  std::optional<Duration> run_for;   // stop after this long (monotonic)
};

struct RunLoopStats {
  uint64_t turns = 0;    // loop turns
  uint64_t wakeups = 0;  // every wake-up of the loop (turns, posts, timers)
  Duration ran{0};       // monotonic time from start to the end
};

class RunLoop {
 public:
  RunLoop(EventLoop& loop, const Clock& clock, Logger log, RunLoopOptions options);

  // Ticked in the order added (the screens first). Not owned; they outlive the loop's run().
  void add(Ticker& ticker) { tickers_.push_back(&ticker); }
  // Runs `job` on the loop thread, then a turn at once. Safe from any thread, and after the loop
  // is gone (dropped and counted, common/event_loop.h).
  Poster poster();
  // The first turn is at once; returns when the loop ended (quit(), a signal, run_for).
  void run();
  void quit() { loop_.quit(); }
  // One turn now (tests that turn an EventLoop by hand call it; run() schedules them).
  void turn();

  MonoTime started() const { return start_; }
  RunLoopStats stats() const;

 private:
  EventLoop& loop_;
  const Clock& clock_;
  ClockStepWatch steps_;  // one detector; no schedulers attached: the screens' ticker restarts them
  RunLoopOptions options_;
  std::vector<Ticker*> tickers_;  // one detector; no schedulers attached: the screens' ticker restarts them
  MonoTime start_{};
  MonoTime end_{};
  long long frame_no_ = 0;
  uint64_t turns_ = 0;
};

}  // namespace branchcast
