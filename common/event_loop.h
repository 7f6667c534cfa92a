// The loop that owns all core state (architecture: one thread; adapters only post events).
//
// post() may be called from any thread; everything else only from the loop thread. The GLib
// implementation runs the process's default GMainContext, which GStreamer bus watches and GDBus
// signal subscriptions attach to, so they share this one thread.
//
// Lifetime contract: the loop runs once. When run() returns the loop is stopped: posts still
// queued are discarded (never run by a later loop on the same GLib context) and posts made
// afterwards are dropped. Both are counted (dropped_posts()). A worker thread that may outlive the
// loop must post through poster(), never through a raw EventLoop*: the poster stays callable after
// the loop is destroyed (it drops and counts). Owners still join their workers before destroying
// the loop (appliance/cmd_run.cpp: the Appliance before the loop); the poster is the guard, not the plan.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "common/clock.h"

namespace branchcast {

// Thread-safe "run this on the loop thread"; dropped (and counted) once the loop has stopped.
using Poster = std::function<void(std::function<void()>)>;

class EventLoop {
 public:
  virtual ~EventLoop() = default;
  // Thread-safe: runs fn on the loop thread soon, in posting order; dropped once stopped.
  virtual void post(std::function<void()> fn) = 0;
  // A thread-safe post() that may be kept, copied and called after the loop is gone.
  virtual Poster poster() = 0;
  // Thread-safe: posts dropped because the loop had stopped (or was destroyed) before they ran.
  virtual uint64_t dropped_posts() const = 0;
  // Loop thread: runs fn once when the monotonic clock reaches `when` (immediately if past).
  // Replaces any earlier wake-up set with the same slot (one slot per caller-chosen id).
  virtual void wake_at(int slot, MonoTime when, std::function<void()> fn) = 0;
  // Loop thread: calls fn every `period` until quit.
  virtual void every(std::chrono::milliseconds period, std::function<void()> fn) = 0;
  // Runs until quit() is called (from the loop thread or via post()); then the loop is stopped.
  virtual void run() = 0;
  virtual void quit() = 0;
  // Loop thread: how many times the loop woke up to run something (posts, wake-ups, repeats).
  virtual uint64_t wakeups() const = 0;
};

// A GLib main loop on the default main context.
std::unique_ptr<EventLoop> make_glib_event_loop(const Clock& clock);

}  // namespace branchcast
