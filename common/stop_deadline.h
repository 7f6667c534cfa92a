// A bound on shutdown (issue 12, bad input: a worker that never returns). Shutting down joins
// every worker thread (WorkerThread's destructor); a job stuck in a call that never returns (a CEC
// ioctl the kernel never answers, a send past its timeouts) would hold the process until systemd
// kills it (TimeoutStopSec, image-build/systemd/branchcast.service). Armed when the loop has ended:
// when the process is still shutting down after `bound`, one error line says so and the process
// ends at once with `status` (_exit: no destructor runs, so no abandoned job can touch freed
// memory; rows already committed to SQLite are on disk in its WAL and stay). Destroying it (the
// shutdown finished) disarms it.
//
// The bound is real time (like systemd's own stop timeout), read on its own thread; it is never
// what a test asserts on.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/log.h"
#include "common/time.h"

namespace branchcast {

class StopDeadline {
 public:
  StopDeadline(Duration bound, int status, Logger log);
  ~StopDeadline();
  StopDeadline(const StopDeadline&) = delete;
  StopDeadline& operator=(const StopDeadline&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace branchcast
