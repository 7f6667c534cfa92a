#include "services/clock_probe.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/timex.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace branchcast {
namespace {

Error os_error(const std::string& what, const std::string& path) {
  return make_error(path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

bool clock_synchronized(const std::string& root, bool use_kernel) {
  std::string base = root == "/" ? "" : root;
  struct stat st{};
  if (::stat((base + "/run/systemd/timesync/synchronized").c_str(), &st) == 0) return true;
  if (!use_kernel) return false;
  struct timex tx{};
  int state = ::ntp_adjtime(&tx);
  return state != -1 && state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
}

std::optional<TimePoint> LastGoodTimeFile::load() const {
  std::ifstream in(path_);
  long long seconds = 0;
  if (!(in >> seconds) || seconds <= 0) return std::nullopt;
  return TimePoint{std::chrono::seconds{seconds}};
}

Status LastGoodTimeFile::save(TimePoint t) const {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  return write_file_atomically(path_, std::to_string(s) + "\n");
}

Status write_file_atomically(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return os_error("cannot create", tmp);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = os_error("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Error e = os_error("cannot sync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Error e = os_error("cannot rename into place", path);
    ::unlink(tmp.c_str());
    return e;
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

}  // namespace branchcast
