// Nothing invalid becomes current (issue 13, finding 2): a synced version is validated like
// `branchcast validate` before the swap and a refused one is kept aside; a version a daemon holds
// a lease on is never pruned; at start an invalid `current` falls back to the newest valid
// version, then to a built-in card naming the problem. And folder sources refuse symbolic links
// and special files (finding 6), as the Git source skips them.
#include "services/content_versions.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/safe_open.h"
#include "config/loader.h"
#include "services/content_sync.h"
#include "tests/support/read_file.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;
using testing_support::slurp;

constexpr const char* kPlaylist = "default:\n  - image: welcome.png\n    duration: 5s\n";

std::string appliance_yaml(const std::string& extra = "") {
  return "branch:\n  id: b\n  name: B\n  timezone: UTC\n" + extra +
         "screens:\n  - id: hall\n    output: offscreen\n    resolution: 160x90\n    playlist: playlist.yaml\n";
}

class ContentVersions : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bc-versions-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(src_ = dir_ / "usb");
    fs::create_directories(dest_ = dir_ / "data/content");
    put("appliance.yaml", appliance_yaml());
    put("playlist.yaml", kPlaylist);
    put("welcome.png", "png bytes");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void put(const std::string& rel, const std::string& body) {
    fs::create_directories((src_ / rel).parent_path());
    fs::remove(src_ / rel);
    std::ofstream(src_ / rel, std::ios::binary) << body;
  }
  void write_manifest(std::vector<std::string> files = {"appliance.yaml", "playlist.yaml", "welcome.png"}) {
    std::string m;
    for (const auto& f : files) {
      auto sum = sha256_file((src_ / f).string());
      m += (sum ? *sum : std::string(64, '0')) + "  " + f + "\n";
    }
    std::ofstream(src_ / "MANIFEST.sha256") << m;
  }
  Result<SyncOutcome> sync() {
    SyncOptions o;
    o.reserve_bytes = 0;
    o.validate = validate_content_version;
    return sync_content_from_folder(src_.string(), dest_.string(), o);
  }
  fs::path dir_, src_, dest_;
};

TEST_F(ContentVersions, AnInvalidConfigurationIsRefusedKeptAsideAndCurrentStays) {
  write_manifest();
  ASSERT_TRUE(sync().ok());
  put("appliance.yaml", appliance_yaml() + "prority: 3\n");
  write_manifest();
  auto r = sync();
  ASSERT_FALSE(r.ok());
  const std::string& m = r.error().message;
  EXPECT_NE(m.find("version 2 is invalid, not made current"), std::string::npos) << m;
  EXPECT_NE(m.find("appliance.yaml:"), std::string::npos) << m;  // names the file and line
  EXPECT_NE(m.find("prority"), std::string::npos) << m;
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/1"));
  EXPECT_TRUE(fs::exists(dest_ / "versions/2.refused/appliance.yaml"));  // kept for staff

  put("appliance.yaml", appliance_yaml());  // fixed: the next version gets a new number
  put("welcome.png", "new png");
  write_manifest();
  auto fixed = sync();
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/3"));
  EXPECT_TRUE(fs::exists(dest_ / "versions/2.refused"));
}

TEST_F(ContentVersions, MissingMediaAndContentOutsideTheVersionAreRefused) {
  write_manifest({"appliance.yaml", "playlist.yaml"});  // welcome.png not synced
  auto r = sync();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("welcome.png"), std::string::npos) << r.error().message;
  EXPECT_FALSE(fs::exists(dest_ / "current"));

  fs::create_directories(dir_ / "elsewhere");
  std::ofstream(dir_ / "elsewhere/welcome.png") << "outside";
  put("appliance.yaml", appliance_yaml("content_root: " + (dir_ / "elsewhere").string() + "\n"));
  write_manifest();
  auto outside = sync();
  ASSERT_FALSE(outside.ok());
  EXPECT_NE(outside.error().message.find("outside"), std::string::npos) << outside.error().message;
  EXPECT_FALSE(fs::exists(dest_ / "current"));

  // Valid for `validate` (inside content_root), but content_root is outside the version.
  put("playlist.yaml", "default:\n  - image: " + (dir_ / "elsewhere/welcome.png").string() + "\n    duration: 5s\n");
  write_manifest();
  auto root_outside = sync();
  ASSERT_FALSE(root_outside.ok());
  EXPECT_NE(root_outside.error().message.find("is outside the synced version"), std::string::npos)
      << root_outside.error().message;
}

TEST_F(ContentVersions, AVersionADaemonPlaysIsNeverPruned) {
  write_manifest();
  ASSERT_TRUE(sync().ok());
  auto lease = ContentLease::acquire((dest_ / "current/appliance.yaml").string());
  ASSERT_NE(lease, nullptr);
  EXPECT_EQ(lease->version(), 1);
  EXPECT_TRUE(content_version_in_use(dest_.string(), 1));
  for (const char* body : {"second", "third", "fourth"}) {
    put("welcome.png", body);
    write_manifest();
    ASSERT_TRUE(sync().ok());
  }
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/4"));
  EXPECT_EQ(slurp(dest_ / "versions/1/welcome.png"), "png bytes");  // still played: kept
  EXPECT_FALSE(fs::exists(dest_ / "versions/2"));                   // not played: pruned
  lease.reset();
  EXPECT_FALSE(content_version_in_use(dest_.string(), 1));
  put("welcome.png", "fifth");
  write_manifest();
  ASSERT_TRUE(sync().ok());
  EXPECT_FALSE(fs::exists(dest_ / "versions/1"));
}

TEST_F(ContentVersions, AtStartAnInvalidCurrentFallsBackToTheNewestValidVersion) {
  write_manifest();
  ASSERT_TRUE(sync().ok());
  put("welcome.png", "second");
  put("appliance.yaml", "# second version\n" + appliance_yaml());  // not hard-linked to version 1's
  write_manifest();
  ASSERT_TRUE(sync().ok());
  // Damage on the card after the sync: current's appliance.yaml no longer parses.
  std::ofstream(dest_ / "versions/2/appliance.yaml", std::ios::trunc) << "screens: [";
  const std::string config = (dest_ / "current/appliance.yaml").string();
  StartupConfig c = choose_startup_config(config, (dir_ / "state").string(), false);
  EXPECT_EQ(c.config_path, (dest_ / "versions/1/appliance.yaml").string());
  EXPECT_FALSE(c.fallback_card);
  ASSERT_EQ(c.problems.size(), 2u);
  EXPECT_NE(c.problems[0].find("appliance.yaml"), std::string::npos) << c.problems[0];

  std::ofstream(dest_ / "versions/1/appliance.yaml", std::ios::trunc) << "branch: 7\n";
  StartupConfig card = choose_startup_config(config, (dir_ / "state").string(), false);
  EXPECT_TRUE(card.fallback_card);
  auto loaded = load_appliance(card.config_path);
  ASSERT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  ASSERT_EQ(loaded.settings->screens.size(), 1u);
  const auto& items = loaded.settings->playlists.at("main").default_items;
  ASSERT_EQ(items.size(), 2u);
  EXPECT_NE(items[1].text.find("appliance.yaml"), std::string::npos) << items[1].text;  // names the problem
}

TEST_F(ContentVersions, AnInvalidConfigAtATerminalIsReportedNotReplaced) {
  fs::create_directories(dir_ / "plain");
  std::ofstream(dir_ / "plain/appliance.yaml") << "screens: [";
  StartupConfig c = choose_startup_config((dir_ / "plain/appliance.yaml").string(), (dir_ / "state").string(), false);
  EXPECT_EQ(c.config_path, (dir_ / "plain/appliance.yaml").string());
  EXPECT_FALSE(c.fallback_card);
  EXPECT_EQ(c.problems.size(), 1u);
  StartupConfig service = choose_startup_config((dir_ / "plain/appliance.yaml").string(), (dir_ / "state").string(), true);
  EXPECT_TRUE(service.fallback_card);
}

TEST_F(ContentVersions, FolderSourcesRefuseSymbolicLinksAndSpecialFiles) {
  write_manifest();
  ASSERT_TRUE(sync().ok());
  // welcome.png replaced by a link to a file outside the stick (a file whose hash the author knows).
  fs::create_directories(dir_ / "secret");
  std::ofstream(dir_ / "secret/passwd") << "root:x:0:0";
  std::ofstream(src_ / "passwd.png") << "root:x:0:0";
  write_manifest({"appliance.yaml", "playlist.yaml", "welcome.png", "passwd.png"});
  fs::remove(src_ / "passwd.png");
  fs::create_symlink(dir_ / "secret/passwd", src_ / "passwd.png");
  auto r = sync();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("passwd.png"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("symbolic link"), std::string::npos) << r.error().message;
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/1"));

  // A linked folder on the way is refused too.
  fs::remove(src_ / "passwd.png");
  fs::create_directories(dir_ / "secret/dir");
  std::ofstream(dir_ / "secret/dir/a.png") << "root:x:0:0";
  fs::create_directory_symlink(dir_ / "secret/dir", src_ / "linked");
  std::ofstream(dir_ / "a.png") << "root:x:0:0";
  {
    std::string m;
    for (const char* f : {"appliance.yaml", "playlist.yaml", "welcome.png"}) m += *sha256_file((src_ / f).string()) + "  " + f + "\n";
    m += *sha256_file((dir_ / "a.png").string()) + "  linked/a.png\n";
    std::ofstream(src_ / "MANIFEST.sha256") << m;
  }
  auto linked = sync();
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.error().message.find("symbolic link"), std::string::npos) << linked.error().message;

  // A FIFO listed in the manifest neither blocks the sync nor is copied.
  fs::remove(src_ / "linked");
  ASSERT_EQ(::mkfifo((src_ / "pipe.png").c_str(), 0644), 0);
  {
    std::string m;
    for (const char* f : {"appliance.yaml", "playlist.yaml", "welcome.png"}) m += *sha256_file((src_ / f).string()) + "  " + f + "\n";
    m += std::string(64, 'a') + "  pipe.png\n";
    std::ofstream(src_ / "MANIFEST.sha256") << m;
  }
  auto fifo = sync();
  ASSERT_FALSE(fifo.ok());
  EXPECT_NE(fifo.error().message.find("not a regular file"), std::string::npos) << fifo.error().message;
}

TEST(SafeOpen, OpensBeneathTheRootAndNeverFollowsALink) {
  auto dir = fs::temp_directory_path() / ("bc-safe-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "root/sub");
  std::ofstream(dir / "root/sub/ok.png") << "ok";
  std::ofstream(dir / "outside.png") << "outside";
  fs::create_symlink(dir / "outside.png", dir / "root/sub/late.png");  // replaced after load
  auto ok = open_beneath((dir / "root").string(), "sub/ok.png");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ::close(*ok);
  auto late = open_beneath((dir / "root").string(), "sub/late.png");
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.error().message.find("symbolic link"), std::string::npos);
  EXPECT_FALSE(open_beneath((dir / "root").string(), "../outside.png").ok());
  EXPECT_FALSE(open_beneath((dir / "root").string(), "/etc/passwd").ok());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace branchcast
