// The loop that owns all core state (architecture: one thread; adapters only post events).
//
// post() may be called from any thread; everything else only from the loop thread. The GLib
// implementation runs the process's default GMainContext, which GStreamer bus watches and GDBus
// signal subscriptions attach to, so they share this one thread.
#pragma once

#include <functional>
#include <memory>

#include "common/clock.h"

namespace branchcast {

class EventLoop {
 public:
  virtual ~EventLoop() = default;
  // Thread-safe: runs fn on the loop thread soon, in posting order.
  virtual void post(std::function<void()> fn) = 0;
  // Loop thread: runs fn once when the monotonic clock reaches `when` (immediately if past).
  // Replaces any earlier wake-up set with the same slot (one slot per caller-chosen id).
  virtual void wake_at(int slot, MonoTime when, std::function<void()> fn) = 0;
  // Loop thread: calls fn every `period` until quit.
  virtual void every(std::chrono::milliseconds period, std::function<void()> fn) = 0;
  // Runs until quit() is called (from the loop thread or via post()).
  virtual void run() = 0;
  virtual void quit() = 0;
};

// A GLib main loop on the default main context.
std::unique_ptr<EventLoop> make_glib_event_loop(const Clock& clock);

}  // namespace branchcast
