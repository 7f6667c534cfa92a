#include <glib.h>

#include <map>

#include "common/event_loop.h"

namespace branchcast {
namespace {

struct Thunk {
  std::function<void()> fn;
};

gboolean run_once(gpointer data) {
  static_cast<Thunk*>(data)->fn();
  return G_SOURCE_REMOVE;
}
gboolean run_repeat(gpointer data) {
  static_cast<Thunk*>(data)->fn();
  return G_SOURCE_CONTINUE;
}
void free_thunk(gpointer data) { delete static_cast<Thunk*>(data); }

class GlibEventLoop final : public EventLoop {
 public:
  explicit GlibEventLoop(const Clock& clock)
      : clock_(clock), loop_(g_main_loop_new(nullptr, FALSE)) {}
  ~GlibEventLoop() override {
    for (auto& [slot, id] : wakeups_) g_source_remove(id);
    for (guint id : repeats_) g_source_remove(id);
    g_main_loop_unref(loop_);
  }

  // Always queued, never run inline: g_main_context_invoke() would run fn on the calling thread
  // whenever that thread can acquire the context (e.g. before run() starts).
  void post(std::function<void()> fn) override {
    GSource* source = g_idle_source_new();
    g_source_set_priority(source, G_PRIORITY_DEFAULT);
    g_source_set_callback(source, run_once, new Thunk{std::move(fn)}, free_thunk);
    g_source_attach(source, nullptr);
    g_source_unref(source);
  }

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
    }};
    wakeups_[slot] = g_timeout_add_full(G_PRIORITY_DEFAULT, ms, run_once, thunk, free_thunk);
  }

  void every(std::chrono::milliseconds period, std::function<void()> fn) override {
    repeats_.push_back(g_timeout_add_full(G_PRIORITY_DEFAULT, static_cast<guint>(period.count()),
                                          run_repeat, new Thunk{std::move(fn)}, free_thunk));
  }

  void run() override { g_main_loop_run(loop_); }
  void quit() override { g_main_loop_quit(loop_); }

 private:
  const Clock& clock_;
  GMainLoop* loop_;
  std::map<int, guint> wakeups_;
  std::vector<guint> repeats_;
};

}  // namespace

std::unique_ptr<EventLoop> make_glib_event_loop(const Clock& clock) {
  return std::make_unique<GlibEventLoop>(clock);
}

}  // namespace branchcast
