// A real HTTP/1.1 server on 127.0.0.1 for provider tests: one thread, one connection at a time,
// Connection: close. Each request is recorded; a handler decides the reply, which may be delayed
// (slow response) or replaced by a TCP reset.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace branchcast::test {

struct RecordedRequest {
  std::string method;
  std::string target;                          // path and query
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // before answering
  bool reset = false;                  // close with RST instead of answering
  size_t cut_body_at = std::string::npos;  // announce the whole body, send only this many bytes, close
};

class LoopbackHttpServer {
 public:
  using Handler = std::function<Reply(const RecordedRequest&)>;
  explicit LoopbackHttpServer(Handler handler = nullptr);
  ~LoopbackHttpServer();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }
  void set_handler(Handler h);
  std::vector<RecordedRequest> requests() const;

 private:
  void serve();
  void handle(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  Handler handler_;
  std::vector<RecordedRequest> requests_;
  std::thread thread_;
};

// A free TCP port on 127.0.0.1 (bound then released).
int free_loopback_port();

}  // namespace branchcast::test
