#include "common/event_loop.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace branchcast
