#include "common/safe_open.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/strings.h"

namespace branchcast {
namespace {

std::string why(int err, const std::string& part) {
  if (err == ELOOP || err == ENOTDIR) {
    return "'" + part + "' is a symbolic link (or not a folder): links are not followed";
  }
  if (err == ENOENT) return "'" + part + "' does not exist";
  return "'" + part + "': " + std::strerror(err);
}

}  // namespace

Result<int> open_beneath(const std::string& root, const std::string& relative) {
  auto parts = split(relative, '/');
  if (relative.empty() || relative.front() == '/') return make_error("unsafe path '" + relative + "'");
  for (const auto& p : parts)
    if (p.empty() || p == "." || p == "..") return make_error("unsafe path '" + relative + "'");
  int dir = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return make_error(root + ": " + std::strerror(errno));
  std::string so_far;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    so_far += (i ? "/" : "") + std::string(parts[i]);
    int next = ::openat(dir, std::string(parts[i]).c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int err = errno;
    ::close(dir);
    if (next < 0) return make_error(why(err, so_far));
    dir = next;
  }
  int fd = ::openat(dir, std::string(parts.back()).c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  int err = errno;
  ::close(dir);
  if (fd < 0) return make_error(why(err, relative));
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

Result<int> open_file_beneath(const std::string& root, const std::string& path) {
  std::string base = root;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  if (base.empty() || base.front() != '/' || path.size() <= base.size() + 1 || path.compare(0, base.size(), base) != 0 ||
      (base != "/" && path[base.size()] != '/'))
    return make_error("'" + path + "' is outside " + root);
  auto fd = open_beneath(base, path.substr(base == "/" ? 1 : base.size() + 1));
  if (!fd) return fd.error();
  struct stat st {};
  if (::fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(*fd);
    return make_error("'" + path + "' is not a regular file");
  }
  return fd;
}

}  // namespace branchcast
