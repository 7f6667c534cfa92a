#include <arpa/inet.h>

#include <charconv>

#include "services/health_server.h"

namespace branchcast {

Result<ListenAddress> parse_listen_address(const std::string& text) {
  ListenAddress a;
  std::string host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return make_error("health.listen: expected [ipv6]:port, got '" + text + "'");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon)
      return make_error("health.listen: expected host:port, got '" + text + "'");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned v = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
  if (port.empty() || ec != std::errc() || p != port.data() + port.size() || v > 65535)
    return make_error("health.listen: invalid port '" + port + "'");
  a.port = static_cast<uint16_t>(v);
  if (host == "localhost") host = "127.0.0.1";
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    a.loopback = (ntohl(v4.s_addr) >> 24) == 127;
  } else if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    a.loopback = IN6_IS_ADDR_LOOPBACK(&v6);
  } else {
    return make_error("health.listen: '" + host + "' is not a numeric IP address");
  }
  a.host = host;
  return a;
}

}  // namespace branchcast
