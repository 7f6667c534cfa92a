#include "common/event_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace branchcast {
namespace {

TEST(EventLoop, PostsFromOtherThreadsRunOnTheLoopInOrder) {
  SystemClock clock;
  auto loop = make_glib_event_loop(clock);
  std::vector<int> seen;
  std::thread::id loop_thread = std::this_thread::get_id();
  std::thread worker([&] {
    for (int i = 0; i < 100; ++i)
      loop->post([&, i] {
        EXPECT_EQ(std::this_thread::get_id(), loop_thread);
        seen.push_back(i);
        if (i == 99) loop->quit();
      });
  });
  loop->run();
  worker.join();
  ASSERT_EQ(seen.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[i], i);
}

TEST(EventLoop, WakeAtReplacesTheEarlierWakeupOfTheSameSlot) {
  SystemClock clock;
  auto loop = make_glib_event_loop(clock);
  std::vector<std::string> seen;
  loop->wake_at(1, clock.monotonic() + std::chrono::hours(1), [&] { seen.push_back("replaced"); });
  loop->wake_at(1, clock.monotonic(), [&] { seen.push_back("slot1"); });
  loop->wake_at(2, clock.monotonic(), [&] {
    seen.push_back("slot2");
    loop->post([&] { loop->quit(); });
  });
  loop->run();
  EXPECT_EQ(seen, (std::vector<std::string>{"slot1", "slot2"}));
}

// The loop runs once: a post queued when it stops is discarded, not run by the next loop on the
// same (default) GLib context, where the object it points at may be gone.
TEST(EventLoop, PostsQueuedWhenTheLoopStopsAreDroppedAndNeverRunByALaterLoop) {
  SystemClock clock;
  bool stale_ran = false;
  {
    auto first = make_glib_event_loop(clock);
    first->wake_at(1, clock.monotonic(), [&] {
      first->post([&] { stale_ran = true; });  // queued for the next iteration, which never comes
      first->quit();
    });
    first->run();
    EXPECT_EQ(first->dropped_posts(), 1u);
  }
  auto second = make_glib_event_loop(clock);
  second->post([&] { second->quit(); });
  second->run();
  EXPECT_FALSE(stale_ran);
  EXPECT_EQ(second->dropped_posts(), 0u);
}

TEST(EventLoop, PostsAfterTheLoopStoppedAreDroppedAndCounted) {
  SystemClock clock;
  auto loop = make_glib_event_loop(clock);
  loop->post([&] { loop->quit(); });
  loop->run();
  bool ran = false;
  loop->post([&] { ran = true; });
  loop->poster()([&] { ran = true; });
  EXPECT_EQ(loop->dropped_posts(), 2u);
  EXPECT_FALSE(ran);
}

// A worker still posting while its loop stops and is destroyed (the shutdown of `run` with a feed
// fetch in flight): posts through a poster are dropped, never touch freed memory (ASan).
TEST(EventLoop, APosterOutlivesItsLoopAndDropsWhatItPosts) {
  SystemClock clock;
  auto loop = make_glib_event_loop(clock);
  Poster post = loop->poster();
  std::atomic<bool> stop{false};
  std::atomic<int> posted{0};
  int ran = 0;
  std::thread worker([&] {
    while (!stop) {
      post([&] { ++ran; });
      ++posted;
      std::this_thread::yield();
    }
  });
  loop->post([&] {
    // Run until the worker's posts have been seen at least once, then stop with more in flight.
    loop->wake_at(1, clock.monotonic(), [&] { loop->quit(); });
  });
  loop->run();
  loop.reset();  // destroyed while the worker still posts
  while (posted < 10) std::this_thread::yield();
  stop = true;
  worker.join();
  EXPECT_LE(ran, posted.load());
  post([&] { ++ran; });  // after the loop is gone: dropped
}

TEST(EventLoop, CountsItsWakeups) {
  SystemClock clock;
  auto loop = make_glib_event_loop(clock);
  loop->post([] {});
  loop->wake_at(1, clock.monotonic(), [&] { loop->post([&] { loop->quit(); }); });
  loop->run();
  EXPECT_EQ(loop->wakeups(), 3u);
}

}  // namespace
}  // namespace branchcast
