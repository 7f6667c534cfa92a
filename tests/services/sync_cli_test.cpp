// `branchcast sync`: the command's output and exit codes in-process, and a kill -9 loop against
// the real binary: whenever a sync dies, `current` names a complete, verified version and the
// next sync succeeds.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "tests/support/read_file.h"
#include "services/content_sync.h"
#include "tests/appliance/cli_harness.h"
#include "tests/notify/support/loopback_http_server.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

using testing_support::slurp;

class SyncCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bc-synccli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    dest_ = dir_ / "content";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A bundle folder: `files` files of `size` bytes whose contents depend on `tag`, and its manifest.
  fs::path bundle(const std::string& name, const std::string& tag, int files, size_t size) {
    fs::path d = dir_ / name;
    fs::create_directories(d / "media");
    std::string manifest;
    for (int i = 0; i < files; ++i) {
      std::string rel = "media/item" + std::to_string(i) + ".webm";
      std::string body(size, static_cast<char>('a' + i % 26));
      body.replace(0, tag.size(), tag);
      std::ofstream(d / rel, std::ios::binary) << body;
      manifest += sha256_hex(body.data(), body.size()) + "  " + rel + "\n";
    }
    std::ofstream(d / "MANIFEST.sha256") << manifest;
    return d;
  }

  // `current` is absent or names versions/<n> whose files all match its manifest.
  ::testing::AssertionResult current_is_complete() {
    std::error_code ec;
    if (!fs::exists(dest_ / "current", ec)) return ::testing::AssertionSuccess();
    auto manifest = parse_manifest(slurp(dest_ / "current/MANIFEST.sha256"));
    if (!manifest) return ::testing::AssertionFailure() << "current manifest: " << manifest.error().message;
    for (const auto& e : *manifest) {
      auto sum = sha256_file((dest_ / "current" / e.path).string());
      if (!sum || *sum != e.sha256) return ::testing::AssertionFailure() << "current/" << e.path << " does not verify";
    }
    return ::testing::AssertionSuccess();
  }

  fs::path dir_, dest_;
  test_support::Cli cli_;
};

TEST_F(SyncCommand, SyncsThenUnchangedAndExplainsErrors) {
  auto src = bundle("usb", "v1", 3, 1000);
  std::vector<std::string> args{"sync", "--source", src.string(), "--dest", dest_.string(), "--reserve", "0"};
  ASSERT_EQ(cli_.run(args), 0) << cli_.err.str();
  EXPECT_EQ(cli_.out.str(), "synced version 1 (3 files, 3000 bytes, 0 reused)\n");
  ASSERT_EQ(cli_.run(args), 0) << cli_.err.str();
  EXPECT_EQ(cli_.out.str(), "unchanged (version 1)\n");

  std::ofstream(dir_ / "config-source") << "file://" << src.string() << "\n";
  ASSERT_EQ(cli_.run({"sync", "--source-file", (dir_ / "config-source").string(), "--dest", dest_.string(),
                      "--reserve", "0"}),
            0)
      << cli_.err.str();

  EXPECT_EQ(cli_.run({"sync", "--source", "ftp://user:s3cret@host/x", "--dest", dest_.string()}), 1);
  EXPECT_EQ(cli_.err.str(), "branchcast sync: content source: unsupported scheme 'ftp' (use https://, git+https:// or a folder)\n");
  EXPECT_EQ(cli_.run({"sync", "--source-file", (dir_ / "nope").string(), "--dest", dest_.string()}), 1);
  EXPECT_NE(cli_.err.str().find("nope: cannot read the content source"), std::string::npos);
  EXPECT_EQ(cli_.run({"sync", "--source", src.string(), "--reserve", "12X"}), 2);
  auto next = bundle("usb2", "v2", 3, 1000);
  EXPECT_EQ(cli_.run({"sync", "--source", next.string(), "--dest", dest_.string(), "--reserve", "1000000G"}), 1);
  EXPECT_NE(cli_.err.str().find("branchcast sync: " + next.string() + ": not enough free space"), std::string::npos)
      << cli_.err.str();
  EXPECT_EQ(cli_.run({"sync", "--help"}), 0);
  EXPECT_NE(cli_.out.str().find("Usage: branchcast sync"), std::string::npos);
}

TEST_F(SyncCommand, HttpErrorsNameTheFileWithoutTheToken) {
  test::LoopbackHttpServer server([](const test::RecordedRequest& r) {
    if (r.target.rfind("/b/MANIFEST.sha256", 0) == 0)
      return test::Reply{200, {}, std::string(64, 'a') + "  intro.webm\n"};
    return test::Reply{200, {}, "not what the manifest says"};
  });
  EXPECT_EQ(cli_.run({"sync", "--source", server.url() + "/b/?token=s3cret", "--dest", dest_.string(), "--reserve", "0"}), 1);
  EXPECT_EQ(cli_.err.str(), "branchcast sync: " + server.url() +
                                "/b/intro.webm: checksum mismatch; sync refused, current content kept\n");
  EXPECT_FALSE(fs::exists(dest_ / "current"));
}

// Power cut during the swap, simulated: SIGKILL at random points of `branchcast sync` runs
// alternating between two bundles. After every kill the invariant holds; at the end a sync
// completes and leaves no staging folder behind.
TEST_F(SyncCommand, KillNineLoopLeavesCompleteContent) {
  auto a = bundle("a", "version-a", 24, 200'000);
  auto b = bundle("b", "version-b", 24, 200'000);
  const std::string binary = std::string(BRANCHCAST_BINARY_DIR) + "/branchcast";
  ASSERT_TRUE(fs::exists(binary)) << binary;
  auto spawn = [&](const fs::path& src) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int devnull = ::open("/dev/null", O_RDWR);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      ::execl(binary.c_str(), binary.c_str(), "sync", "--source", src.c_str(), "--dest", dest_.c_str(), "--reserve",
              "0", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    return pid;
  };
  auto run_to_end = [&](const fs::path& src) {
    int status = 0;
    ::waitpid(spawn(src), &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  // How long a sync that replaces every file takes here (the shorter of two), to spread the kills.
  ASSERT_EQ(run_to_end(a), 0);
  auto full = std::chrono::microseconds::max();
  for (const auto& src : {b, a}) {
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(run_to_end(src), 0);
    full = std::min(full, std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0));
  }
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<long> when(0, std::max<long>(1000, static_cast<long>(full.count())));
  int killed_mid_run = 0;
  for (int i = 0; i < 40; ++i) {
    pid_t pid = spawn(i % 2 ? a : b);
    std::this_thread::sleep_for(std::chrono::microseconds(when(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    killed_mid_run += WIFSIGNALED(status);
    ASSERT_TRUE(current_is_complete()) << "after kill " << i;
  }
  std::cout << "killed mid-run: " << killed_mid_run << " of 40 (a full sync takes " << full.count() << " us)\n";
  // How many kills land mid-run depends on the machine's load (about 27 of 40 on an idle one): a
  // figure, printed above. The test needs some to have interrupted a run.
  EXPECT_GE(killed_mid_run, 1);
  ASSERT_EQ(run_to_end(b), 0);
  EXPECT_TRUE(current_is_complete());
  EXPECT_EQ(slurp(dest_ / "current/media/item3.webm").substr(0, 9), "version-b");
  int folders = 0;
  for (const auto& e : fs::directory_iterator(dest_ / "versions")) {
    EXPECT_EQ(e.path().filename().string().find("staging"), std::string::npos);
    ++folders;
  }
  EXPECT_LE(folders, 2);
  EXPECT_FALSE(fs::exists(dest_ / "current.new"));
}

}  // namespace
}  // namespace branchcast
