#include "common/stop_deadline.h"

#include <unistd.h>

#include <chrono>
#include <string>

namespace branchcast {

StopDeadline::StopDeadline(Duration bound, int status, Logger log) {
  thread_ = std::thread([this, bound, status, log] {
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, bound, [this] { return done_; })) return;
    log.error("a worker did not return within " + std::to_string(bound.count()) +
              " ms of the stop: exiting without it (committed rows are kept)");
    ::_exit(status);
  });
}

StopDeadline::~StopDeadline() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace branchcast
