// Content sync from a Git remote: a bare repository made at test time with the git CLI, reached
// through file:// by the real libgit2 adapter.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/read_file.h"
#include "services/content_source_url.h"
#include "services/content_sync.h"
#include "services/git_content_source.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

using testing_support::slurp;

class GitSync : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bc-gitsync-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(work_ = dir_ / "work");
    dest_ = dir_ / "content";
    git("init -q --bare -b main " + (dir_ / "remote.git").string(), dir_);
    git("init -q -b main", work_);
    git("remote add origin " + (dir_ / "remote.git").string(), work_);
    put("appliance.yaml", "branch: {id: central}\n");
    put("media/welcome.png", "png bytes");
    commit("first");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void git(const std::string& args, const fs::path& cwd) {
    std::string cmd = "cd '" + cwd.string() + "' && git -c user.name=t -c user.email=t@example.org " + args + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  void put(const std::string& rel, const std::string& body) {
    fs::create_directories((work_ / rel).parent_path());
    std::ofstream(work_ / rel, std::ios::binary) << body;
  }
  void commit(const std::string& message, const std::string& branch = "main") {
    git("add -A", work_);
    git("commit -q -m " + message, work_);
    git("push -q origin HEAD:" + branch, work_);
  }
  Result<SyncOutcome> sync(const std::string& fragment = "", std::string remote = "") {
    if (remote.empty()) remote = "git+file://" + (dir_ / "remote.git").string();
    auto url = parse_content_source_url(remote + fragment);
    EXPECT_TRUE(url.ok());
    auto source = make_git_content_source(*url, dest_.string());
    SyncOptions o;
    o.reserve_bytes = 0;
    return sync_content(*source, dest_.string(), o);
  }

  fs::path dir_, work_, dest_;
};

TEST_F(GitSync, CloneThenUnchangedThenUpdate) {
  auto r = sync();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->files, 2);
  EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), "png bytes");
  EXPECT_EQ(slurp(dest_ / "current/MANIFEST.sha256").rfind("# git commit ", 0), 0u);

  auto same = sync();
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_FALSE(same->changed);

  put("media/welcome.png", "new png");
  commit("second");
  auto next = sync();
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_TRUE(next->changed);
  EXPECT_EQ(next->reused, 1);  // appliance.yaml is linked from version 1
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/2"));
  EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), "new png");
}

TEST_F(GitSync, FragmentPicksABranchOrTag) {
  git("checkout -q -b signage", work_);
  put("media/welcome.png", "signage png");
  commit("branch", "signage");
  git("tag v1", work_);
  git("push -q origin v1", work_);
  auto r = sync("#signage");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), "signage png");
  auto main = sync("#main");
  ASSERT_TRUE(main.ok()) << main.error().message;
  EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), "png bytes");
  auto tag = sync("#v1");
  ASSERT_TRUE(tag.ok()) << tag.error().message;
  EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), "signage png");
  auto none = sync("#nope");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no branch or tag named 'nope'"), std::string::npos) << none.error().message;
}

TEST_F(GitSync, ManifestInTheTreeIsVerifiedAndTamperingRefused) {
  put("notes.txt", "not listed, not synced");
  put("MANIFEST.sha256", sha256_hex("branch: {id: central}\n", 22) + "  appliance.yaml\n" +
                             sha256_hex("png bytes", 9) + "  media/welcome.png\n");
  commit("manifest");
  auto r = sync();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->files, 2);
  EXPECT_FALSE(fs::exists(dest_ / "current/notes.txt"));

  put("media/welcome.png", "tampered");  // the manifest lists the sum of "new png"
  put("MANIFEST.sha256", sha256_hex("branch: {id: central}\n", 22) + "  appliance.yaml\n" +
                             sha256_hex("new png", 7) + "  media/welcome.png\n");
  commit("tamper");
  auto bad = sync();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("git+file://" + (dir_ / "remote.git").string() +
                                     "/media/welcome.png: checksum mismatch"),
            std::string::npos)
      << bad.error().message;
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/1"));
  EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), "png bytes");
}

TEST_F(GitSync, MissingRemoteAndBrokenCache) {
  ASSERT_TRUE(sync().ok());
  std::ofstream(dest_ / "git-cache/index.lock") << "";  // left by a killed sync
  std::ofstream(dest_ / "git-cache/HEAD") << "garbage";
  put("media/welcome.png", "after repair");
  commit("repair");
  auto r = sync();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), "after repair");

  fs::rename(dir_ / "remote.git", dir_ / "moved.git");
  auto gone = sync();
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().message.rfind("git+file://" + (dir_ / "remote.git").string() + ": ", 0), 0u)
      << gone.error().message;
  EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), "after repair");
}

// Git's smart HTTP protocol on 127.0.0.1 (git http-backend behind git_http_server.py): the
// transport a real Git host uses, through libgit2's HTTP client.
TEST_F(GitSync, OverSmartHttpOnLoopback) {
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 2);  // git http-backend's complaints about the missing repository
    std::string script = std::string(BRANCHCAST_SOURCE_DIR) + "/tests/services/git_http_server.py";
    ::execl("/usr/bin/python3", "/usr/bin/python3", script.c_str(), dir_.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  FILE* f = ::fdopen(out[0], "r");
  int port = 0;
  ASSERT_EQ(std::fscanf(f, "%d", &port), 1);
  const std::string remote = "git+http://127.0.0.1:" + std::to_string(port) + "/git/remote.git";
  auto r = sync("", remote);
  EXPECT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), "png bytes");
  put("media/welcome.png", "over http");
  commit("http");
  auto next = sync("#main", remote);
  EXPECT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), "over http");
  auto missing = sync("", "git+http://127.0.0.1:" + std::to_string(port) + "/git/nothing.git");
  EXPECT_FALSE(missing.ok());
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
  std::fclose(f);
}

}  // namespace
}  // namespace branchcast
