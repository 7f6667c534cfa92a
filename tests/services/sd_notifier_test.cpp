// SdNotifier against a real unix datagram socket standing in for systemd's NOTIFY_SOCKET.
#include "services/sd_notifier.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace branchcast {
namespace {

class NotifySocket {
 public:
  NotifySocket() {
    path_ = (std::filesystem::temp_directory_path() / ("bc-notify-" + std::to_string(::getpid()))).string();
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path_.c_str());
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  // The next datagram (the sender has already sent it: sd_notify is synchronous).
  std::string next() {
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    return n < 0 ? std::string("<none>") : std::string(buf, static_cast<size_t>(n));
  }

 private:
  std::string path_;
  int fd_ = -1;
};

TEST(SdNotifier, NoOpWithoutNotifySocket) {
  ::unsetenv("NOTIFY_SOCKET");
  SdNotifier n;
  EXPECT_FALSE(n.enabled());
  EXPECT_FALSE(n.ready());
  EXPECT_FALSE(n.watchdog());
  EXPECT_FALSE(n.status("x"));
  EXPECT_FALSE(n.watchdog_period().has_value());
}

TEST(SdNotifier, SendsReadyStatusWatchdogStopping) {
  NotifySocket sock;
  ::unsetenv("WATCHDOG_USEC");
  SdNotifier n;
  ASSERT_TRUE(n.enabled());
  EXPECT_FALSE(n.watchdog_period().has_value());
  EXPECT_TRUE(n.ready());
  EXPECT_EQ(sock.next(), "READY=1\nSTATUS=playing");
  EXPECT_FALSE(n.ready());  // once only
  EXPECT_EQ(sock.next(), "<none>");
  EXPECT_TRUE(n.status("screen entrance:\nstandby"));
  EXPECT_EQ(sock.next(), "STATUS=screen entrance: standby");
  EXPECT_TRUE(n.watchdog());
  EXPECT_EQ(sock.next(), "WATCHDOG=1");
  EXPECT_TRUE(n.stopping());
  EXPECT_EQ(sock.next(), "STOPPING=1\nSTATUS=stopping");
}

TEST(SdNotifier, WatchdogPeriodIsHalfOfWatchdogUsec) {
  NotifySocket sock;
  ::setenv("WATCHDOG_USEC", "20000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  SdNotifier n;
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  ASSERT_TRUE(n.watchdog_period().has_value());
  EXPECT_EQ(*n.watchdog_period(), Duration(10'000));
}

TEST(SdNotifier, WatchdogForAnotherPidIsIgnored) {
  NotifySocket sock;
  ::setenv("WATCHDOG_USEC", "20000000", 1);
  ::setenv("WATCHDOG_PID", "1", 1);
  SdNotifier n;
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  EXPECT_FALSE(n.watchdog_period().has_value());
}

}  // namespace
}  // namespace branchcast
