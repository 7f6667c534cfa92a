// An EventLoop a test turns by hand (common/event_loop.h's contract, without GLib): post() and
// poster() queue from any thread; the test runs the queue on its own thread (run_posted()) at the
// point of its turn it chooses, waits for a worker's post with a real-time bound (a hang guard,
// never a timing assertion), and stops the loop like run() returning (stop(): later posts are
// dropped and counted). wake_at()/every() are recorded, never run by themselves.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "common/event_loop.h"

namespace branchcast::testing {

class ManualEventLoop final : public EventLoop {
 public:
  ManualEventLoop() : inbox_(std::make_shared<Inbox>()) {}
  ~ManualEventLoop() override { stop(); }

  void post(std::function<void()> fn) override { inbox_->push(std::move(fn)); }
  Poster poster() override {
    return [inbox = inbox_](std::function<void()> fn) { inbox->push(std::move(fn)); };
  }
  uint64_t dropped_posts() const override {
    std::lock_guard<std::mutex> lock(inbox_->mu);
    return inbox_->dropped;
  }
  void wake_at(int slot, MonoTime when, std::function<void()> fn) override { wakes[slot] = {when, std::move(fn)}; }
  void every(std::chrono::milliseconds period, std::function<void()>) override { repeats.push_back(period); }
  void run() override {}
  void quit() override { quit_called = true; }
  uint64_t wakeups() const override { return ran_; }

  // Test side (the loop thread). Runs what was posted so far (and what those jobs post); returns
  // how many jobs ran.
  size_t run_posted() {
    size_t n = 0;
    for (;;) {
      std::function<void()> fn;
      {
        std::lock_guard<std::mutex> lock(inbox_->mu);
        if (inbox_->queue.empty()) return n;
        fn = std::move(inbox_->queue.front());
        inbox_->queue.pop_front();
      }
      fn();
      ++n;
      ++ran_;
    }
  }
  // Blocks until something is queued (true) or `limit` of real time passed (false: a hang).
  bool wait_for_post(std::chrono::milliseconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(inbox_->mu);
    return inbox_->cv.wait_for(lock, limit, [this] { return !inbox_->queue.empty(); });
  }
  size_t queued() const {
    std::lock_guard<std::mutex> lock(inbox_->mu);
    return inbox_->queue.size();
  }
  // Like run() returning: what is queued is discarded, later posts are dropped; both counted.
  void stop() {
    std::lock_guard<std::mutex> lock(inbox_->mu);
    inbox_->stopped = true;
    inbox_->dropped += inbox_->queue.size();
    inbox_->queue.clear();
  }

  struct Wake {
    MonoTime when{};
    std::function<void()> fn;
  };
  std::map<int, Wake> wakes;
  std::vector<std::chrono::milliseconds> repeats;
  bool quit_called = false;

 private:
  struct Inbox {
    mutable std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>> queue;
    bool stopped = false;
    uint64_t dropped = 0;
    void push(std::function<void()> fn) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stopped) {
          ++dropped;
          return;
        }
        queue.push_back(std::move(fn));
      }
      cv.notify_all();
    }
  };
  std::shared_ptr<Inbox> inbox_;
  uint64_t ran_ = 0;
};

}  // namespace branchcast::testing
