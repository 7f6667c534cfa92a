// The local health endpoint: a small HTTP/1.0-style server on the GLib main loop (GIO
// GSocketService on the default main context), answering each request through a handler.
//
// Loop thread only: start(), the handler and the destructor all run on the thread that runs the
// default GMainContext. One request per connection ("Connection: close"); a request larger than
// max_request_bytes gets 413, one not complete within request_timeout is dropped, and at most
// max_connections are served at once: a new connection beyond that closes the oldest one still
// waiting for its request (so 16 idle local connections, a slowloris, cannot keep a probe out;
// issue 13). Nothing about the
// request is logged beyond its method and path.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/log.h"
#include "common/result.h"
#include "common/time.h"
#include "services/health_report.h"

namespace branchcast {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "::1", "0.0.0.0", ...
  uint16_t port = 0;
  bool loopback = false;
};

// "127.0.0.1:8642", "[::1]:8642", "localhost:8642". Fails on a malformed address or port; a host
// that is not a numeric address (other than localhost) is refused (no DNS at start-up).
Result<ListenAddress> parse_listen_address(const std::string& text);

struct HealthServerOptions {
  std::string listen = "127.0.0.1:8642";
  bool allow_non_loopback = false;  // must be set explicitly to listen beyond loopback
  size_t max_request_bytes = 8192;
  Duration request_timeout{5'000};
  int max_connections = 16;
};

// method ("GET"), path ("/healthz?x") -> the reply. Called on the loop thread.
using HealthHandler = std::function<HttpReply(const std::string& method, const std::string& path)>;

class HealthServer {
 public:
  // Binds and starts listening. Fails when the address is malformed, not loopback (unless
  // allowed) or cannot be bound (in use). Port 0 picks a free port (see port()).
  static Result<std::unique_ptr<HealthServer>> start(const HealthServerOptions& options,
                                                     HealthHandler handler, Logger log);
  virtual ~HealthServer() = default;
  virtual uint16_t port() const = 0;
  virtual int open_connections() const = 0;
};

}  // namespace branchcast
