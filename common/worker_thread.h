// Background threads running jobs from one FIFO queue (for blocking work: HTTP fetches, parsing).
// With one thread (the default) jobs run in order; with N, up to N at once, taken in order (a fair
// queue: a slow feed holds one thread, never the others; issue 13). submit() is thread-safe. The
// destructor finishes the running jobs, drops queued ones and joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace branchcast {

class WorkerThread {
 public:
  explicit WorkerThread(size_t threads = 1);
  ~WorkerThread();
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  void submit(std::function<void()> job);

 private:
  void run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace branchcast
