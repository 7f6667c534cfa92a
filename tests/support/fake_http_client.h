// An HttpClient that answers from a table (by URL) and can hold every request at a gate until the
// test opens it: a fetch "in flight" for as long as the test wants. Thread-safe (perform() runs on
// the caller's worker threads).
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/http_client.h"

namespace branchcast::testing {

class FakeHttpClient final : public HttpClient {
 public:
  // Unknown URLs answer 404.
  void answer(const std::string& url, std::string body, long status = 200) {
    std::lock_guard<std::mutex> lock(mu_);
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.effective_url = url;
    answers_[url] = std::move(r);
  }
  // Closed: requests wait inside perform() until open() (they count as in flight meanwhile).
  void close_gate() {
    std::lock_guard<std::mutex> lock(mu_);
    gate_open_ = false;
  }
  void open_gate() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      gate_open_ = true;
    }
    cv_.notify_all();
  }
  // Blocks until `n` requests are waiting at the closed gate (false after `limit`: a hang).
  bool wait_in_flight(int n, std::chrono::milliseconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return in_flight_ >= n; });
  }
  std::vector<std::string> urls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return urls_;
  }

  Result<HttpResponse> perform(const HttpRequest& request) override {
    std::unique_lock<std::mutex> lock(mu_);
    urls_.push_back(request.url);
    ++in_flight_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return gate_open_; });
    --in_flight_;
    auto it = answers_.find(request.url);
    if (it == answers_.end()) {
      HttpResponse r;
      r.status = 404;
      r.effective_url = request.url;
      return r;
    }
    return it->second;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, HttpResponse> answers_;
  std::vector<std::string> urls_;
  bool gate_open_ = true;
  int in_flight_ = 0;
};

}  // namespace branchcast::testing
