#include "appliance/run_loop.h"

#include <glib-unix.h>

#include <csignal>

namespace branchcast {
namespace {

constexpr int kTurnSlot = 1;

gboolean on_signal(gpointer data) {
  static_cast<RunLoop*>(data)->quit();
  return G_SOURCE_CONTINUE;
}

}  // namespace

RunLoop::RunLoop(EventLoop& loop, const Clock& clock, Logger log, RunLoopOptions options)
    : loop_(loop), clock_(clock), steps_(std::move(log)), options_(options), start_(clock.monotonic()) {
  steps_.observe(clock.now(), start_);  // the first turn is compared with the start
}

Poster RunLoop::poster() {
  return [post = loop_.poster(), this](std::function<void()> job) {
    // The turn is asked for on the loop thread, after the job, only while the loop still runs
    // (a dropped post never reaches `this`).
    post([job = std::move(job), this] {
      job();
      loop_.wake_at(kTurnSlot, clock_.monotonic(), [this] { turn(); });
    });
  };
}

void RunLoop::run() {
  guint sigint = g_unix_signal_add(SIGINT, on_signal, this);
  guint sigterm = g_unix_signal_add(SIGTERM, on_signal, this);
  loop_.wake_at(kTurnSlot, start_, [this] { turn(); });
  loop_.run();
  g_source_remove(sigint);
  g_source_remove(sigterm);
  end_ = clock_.monotonic();
}

void RunLoop::turn() {
  ++turns_;
  const Turn turn{clock_.now(), clock_.monotonic()};
  if (auto step = steps_.observe(turn.now, turn.mono))  // logged once by the watch
    for (Ticker* t : tickers_) t->clock_stepped(*step, turn);
  for (Ticker* t : tickers_)
    if (t->next_deadline(turn.now) <= turn.now) t->tick(turn);
  if (options_.run_for && turn.mono - start_ >= *options_.run_for) loop_.quit();

  // Frame-rate turns while a ticker is due at once; otherwise sleep until the earliest deadline
  // (at most max_idle, never past the end of run_for). A quit() inside a tick stops the loop
  // before this wake-up is reached.
  TimePoint due = TimePoint::max();
  for (Ticker* t : tickers_) due = std::min(due, t->next_deadline(turn.now));
  const bool moving = due <= turn.now || options_.max_idle <= options_.frame;
  if (!moving) {
    // +2 ms: the wall and monotonic clocks are read at slightly different instants; a turn that
    // wakes a hair before the deadline would find nothing due and sleep again.
    MonoTime next = turn.mono + wait_until(due, turn.now, options_.max_idle) + Duration(2);
    if (options_.run_for) next = std::min(next, start_ + *options_.run_for);
    loop_.wake_at(kTurnSlot, next, [this] { this->turn(); });
    return;
  }
  ++frame_no_;  // the next frame on the grid; frames already late are dropped, not queued
  MonoTime next = start_ + options_.frame * frame_no_;
  MonoTime mono = clock_.monotonic();
  if (next <= mono) {
    frame_no_ = (mono - start_) / options_.frame + 1;
    next = start_ + options_.frame * frame_no_;
  }
  loop_.wake_at(kTurnSlot, next, [this] { this->turn(); });
}

RunLoopStats RunLoop::stats() const {
  RunLoopStats s;
  s.turns = turns_;
  s.wakeups = loop_.wakeups();
  s.ran = (end_ == MonoTime{} ? clock_.monotonic() : end_) - start_;
  return s;
}

}  // namespace branchcast
