// OS probes of `branchcast doctor`: disk space (statvfs) and feed hosts (getaddrinfo + HEAD).
#include <netdb.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>

#include "services/doctor_probes.h"

namespace branchcast {

DiskFacts probe_disk(const std::string& path) {
  DiskFacts f;
  f.path = path;
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  f.exists = std::filesystem::exists(p, ec);
  while (!std::filesystem::exists(p, ec) && p.has_parent_path() && p != p.parent_path()) p = p.parent_path();
  struct statvfs st{};
  if (::statvfs(p.c_str(), &st) == 0) {
    f.free_bytes = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
    f.total_bytes = static_cast<uint64_t>(st.f_blocks) * st.f_frsize;
  }
  f.writable = ::access(p.c_str(), W_OK) == 0;
  return f;
}

HostFacts probe_feed_host(const std::string& feed_id, const std::string& url, HttpClient& http) {
  HostFacts f;
  f.feed_id = feed_id;
  f.host = url_host(url);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (f.host.empty() || ::getaddrinfo(f.host.c_str(), nullptr, &hints, &res) != 0) return f;
  ::freeaddrinfo(res);
  f.resolved = true;
  HttpRequest req;
  req.method = "HEAD";
  req.url = url;
  req.connect_timeout = std::chrono::milliseconds(5'000);
  req.total_timeout = std::chrono::milliseconds(5'000);
  auto r = http.perform(req);
  f.reachable = r.ok();
  if (!r.ok()) f.error = "no HTTP answer";  // curl's message may repeat the URL: not printed
  return f;
}

}  // namespace branchcast
