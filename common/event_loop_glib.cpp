#include <glib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "common/event_loop.h"

namespace branchcast {
namespace {

struct Thunk {
  std::function<void()> fn;
  uint64_t* wakeups;
};

gboolean run_once(gpointer data) {
  auto* t = static_cast<Thunk*>(data);
  ++*t->wakeups;
  t->fn();
  return G_SOURCE_REMOVE;
}
gboolean run_repeat(gpointer data) {
  auto* t = static_cast<Thunk*>(data);
  ++*t->wakeups;
  t->fn();
  return G_SOURCE_CONTINUE;
}
void free_thunk(gpointer data) { delete static_cast<Thunk*>(data); }

// The posting side, shared with every Poster so that it outlives the loop.
struct Inbox {
  std::mutex mu;
  bool open = true;
  std::set<GSource*> pending;  // attached, not yet run
  std::atomic<uint64_t> dropped{0};
  uint64_t wakeups = 0;  // loop thread only (run_posted)

  void post(std::shared_ptr<Inbox> self, std::function<void()> fn);
  // Stops accepting posts and discards the queued ones (loop thread).
  void close() {
    std::lock_guard<std::mutex> lock(mu);
    open = false;
    for (GSource* s : pending) {
      g_source_destroy(s);
      g_source_unref(s);
    }
    dropped += pending.size();
    pending.clear();
  }
};

struct Posted {
  std::shared_ptr<Inbox> inbox;
  GSource* source;
  std::function<void()> fn;
  // Written by the posting thread, read by the loop thread after GLib's own (uninstrumented)
  // hand-off: this release/acquire pair is the happens-before ThreadSanitizer can see.
  std::atomic<bool> published{false};
};

gboolean run_posted(gpointer data) {
  auto* p = static_cast<Posted*>(data);
  (void)p->published.load(std::memory_order_acquire);
  {
    std::lock_guard<std::mutex> lock(p->inbox->mu);
    if (p->inbox->pending.erase(p->source) == 0) return G_SOURCE_REMOVE;  // discarded by close()
    g_source_unref(p->source);
  }
  ++p->inbox->wakeups;
  p->fn();
  return G_SOURCE_REMOVE;
}
void free_posted(gpointer data) { delete static_cast<Posted*>(data); }

// Always queued, never run inline: g_main_context_invoke() would run fn on the calling thread
// whenever that thread can acquire the context (e.g. before run() starts).
void Inbox::post(std::shared_ptr<Inbox> self, std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu);
  if (!open) {
    ++dropped;
    return;
  }
  GSource* source = g_idle_source_new();
  g_source_set_priority(source, G_PRIORITY_DEFAULT);
  auto* posted = new Posted{std::move(self), source, std::move(fn)};
  posted->published.store(true, std::memory_order_release);
  g_source_set_callback(source, run_posted, posted, free_posted);
  pending.insert(source);  // keeps our reference until it ran or was discarded
  g_source_attach(source, nullptr);
}

class GlibEventLoop final : public EventLoop {
 public:
  explicit GlibEventLoop(const Clock& clock)
      : clock_(clock), loop_(g_main_loop_new(nullptr, FALSE)) {}
  ~GlibEventLoop() override {
    inbox_->close();
    for (auto& [slot, id] : wakeups_) g_source_remove(id);
    for (guint id : repeats_) g_source_remove(id);
    g_main_loop_unref(loop_);
  }

  void post(std::function<void()> fn) override { inbox_->post(inbox_, std::move(fn)); }

  Poster poster() override {
    return [inbox = inbox_](std::function<void()> fn) { inbox->post(inbox, std::move(fn)); };
  }

  uint64_t dropped_posts() const override { return inbox_->dropped.load(); }
  uint64_t wakeups() const override { return wakeups_count_ + inbox_->wakeups; }

  void wake_at(int slot, MonoTime when, std::function<void()> fn) override {
    if (auto it = wakeups_.find(slot); it != wakeups_.end()) {
      g_source_remove(it->second);
      wakeups_.erase(it);
    }
    auto delay = when - clock_.monotonic();
    guint ms = delay.count() <= 0 ? 0 : static_cast<guint>(std::min<long long>(delay.count(), 1 << 30));
    auto* thunk = new Thunk{[this, slot, fn = std::move(fn)] {
                              wakeups_.erase(slot);
                              fn();
                            },
                            &wakeups_count_};
    wakeups_[slot] = g_timeout_add_full(G_PRIORITY_DEFAULT, ms, run_once, thunk, free_thunk);
  }

  void every(std::chrono::milliseconds period, std::function<void()> fn) override {
    repeats_.push_back(g_timeout_add_full(G_PRIORITY_DEFAULT, static_cast<guint>(period.count()),
                                          run_repeat, new Thunk{std::move(fn), &wakeups_count_}, free_thunk));
  }

  void run() override {
    g_main_loop_run(loop_);
    inbox_->close();
  }
  void quit() override { g_main_loop_quit(loop_); }

 private:
  const Clock& clock_;
  GMainLoop* loop_;
  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  std::map<int, guint> wakeups_;
  std::vector<guint> repeats_;
  uint64_t wakeups_count_ = 0;
};

}  // namespace

std::unique_ptr<EventLoop> make_glib_event_loop(const Clock& clock) {
  return std::make_unique<GlibEventLoop>(clock);
}

}  // namespace branchcast
