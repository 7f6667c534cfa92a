// Content sync with real files: manifest, verification, atomic swap of the `current` symlink.
#include "tests/support/read_file.h"
#include "services/content_sync.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace branchcast {
namespace {

namespace fs = std::filesystem;

using testing_support::slurp;

class ContentSync : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bc-sync-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(src_ = dir_ / "usb");
    fs::create_directories(dest_ = dir_ / "data/content");
    put("welcome.png", "png bytes");
    put("video/storytime.webm", "webm bytes");
    write_manifest();
  }
  void TearDown() override { fs::remove_all(dir_); }
  void put(const std::string& rel, const std::string& body) {
    fs::create_directories((src_ / rel).parent_path());
    std::ofstream(src_ / rel, std::ios::binary) << body;
  }
  void write_manifest() {
    std::string m = "# generated\n";
    for (const char* f : {"welcome.png", "video/storytime.webm"}) m += *sha256_file((src_ / f).string()) + "  " + f + "\n";
    std::ofstream(src_ / "MANIFEST.sha256") << m;
  }
  SyncOptions opts() const {
    SyncOptions o;
    o.reserve_bytes = 0;
    return o;
  }
  fs::path dir_, src_, dest_;
};

TEST(Manifest, ParsesSha256sumFormatAndRejectsUnsafePaths) {
  std::string h(64, 'a');
  auto m = parse_manifest(h + "  a.png\n\n# c\n" + std::string(64, 'B') + " *dir/b.webm\n");
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[1].path, "dir/b.webm");
  EXPECT_EQ((*m)[1].sha256, std::string(64, 'b'));
  EXPECT_NE(parse_manifest(h + "  ../etc/passwd\n").error().message.find("line 1: unsafe path"), std::string::npos);
  EXPECT_FALSE(parse_manifest(h + "  /abs\n").ok());
  EXPECT_FALSE(parse_manifest(h + "  a//b\n").ok());
  EXPECT_FALSE(parse_manifest(h + "  a\n" + h + "  a\n").ok());
  EXPECT_FALSE(parse_manifest("zz  a\n").ok());
  EXPECT_FALSE(parse_manifest(std::string(64, 'g') + "  a\n").ok());
  EXPECT_FALSE(parse_manifest("# nothing\n").ok());
}

TEST(Manifest, Sha256OfAKnownString) {
  auto p = fs::temp_directory_path() / ("bc-sha-" + std::to_string(::getpid()));
  std::ofstream(p) << "abc";
  EXPECT_EQ(*sha256_file(p.string()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  fs::remove(p);
}

TEST_F(ContentSync, VerifiedCopySwappedInThenUnchanged) {
  auto r = sync_content_from_folder(src_.string(), dest_.string(), opts());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->files, 2);
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/1"));
  EXPECT_EQ(slurp(dest_ / "current/video/storytime.webm"), "webm bytes");
  auto again = sync_content_from_folder(src_.string(), dest_.string(), opts());
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
}

TEST_F(ContentSync, TamperedFileIsRefusedAndCurrentKept) {
  ASSERT_TRUE(sync_content_from_folder(src_.string(), dest_.string(), opts()).ok());
  put("welcome.png", "new welcome");
  write_manifest();
  put("welcome.png", "tampered");  // the bytes differ from what the new manifest lists
  auto r = sync_content_from_folder(src_.string(), dest_.string(), opts());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("welcome.png: checksum mismatch"), std::string::npos);
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/1"));
  EXPECT_EQ(slurp(dest_ / "current/welcome.png"), "png bytes");
  EXPECT_FALSE(fs::exists(dest_ / "versions/2.staging"));
  EXPECT_FALSE(fs::exists(dest_ / "versions/2"));
}

TEST_F(ContentSync, NewVersionReplacesTheOld) {
  ASSERT_TRUE(sync_content_from_folder(src_.string(), dest_.string(), opts()).ok());
  put("welcome.png", "new welcome");
  write_manifest();
  auto r = sync_content_from_folder(src_.string(), dest_.string(), opts());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/2"));
  EXPECT_EQ(slurp(dest_ / "current/welcome.png"), "new welcome");
  EXPECT_TRUE(fs::exists(dest_ / "versions/1"));  // the previous version stays until the next sync
  EXPECT_EQ(r->reused, 1);                         // the unchanged video is hard-linked from it
  put("welcome.png", "third welcome");
  write_manifest();
  ASSERT_TRUE(sync_content_from_folder(src_.string(), dest_.string(), opts()).ok());
  EXPECT_FALSE(fs::exists(dest_ / "versions/1"));
  EXPECT_TRUE(fs::exists(dest_ / "versions/2"));
}

TEST_F(ContentSync, RottedLocalCopyIsFetchedAgainAndLeftoversAreCleared) {
  ASSERT_TRUE(sync_content_from_folder(src_.string(), dest_.string(), opts()).ok());
  fs::create_directories(dest_ / "versions/7.staging/video");  // an interrupted sync
  std::ofstream(dest_ / "versions/7.staging/video/storytime.webm") << "half";
  fs::create_directory_symlink("versions/1", dest_ / "current.new");
  // Corrupt version 1's video in place (a new inode, so nothing else shares it).
  fs::remove(dest_ / "versions/1/video/storytime.webm");
  std::ofstream(dest_ / "versions/1/video/storytime.webm") << "rot";
  put("welcome.png", "new welcome");
  write_manifest();
  auto r = sync_content_from_folder(src_.string(), dest_.string(), opts());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->reused, 0);
  EXPECT_EQ(slurp(dest_ / "current/video/storytime.webm"), "webm bytes");
  EXPECT_FALSE(fs::exists(dest_ / "versions/7.staging"));
  EXPECT_FALSE(fs::exists(dest_ / "current.new"));
}

TEST_F(ContentSync, MissingFileAndDiskGuard) {
  SyncOptions greedy = opts();
  greedy.reserve_bytes = ~0ull >> 2;
  auto full = sync_content_from_folder(src_.string(), dest_.string(), greedy);
  ASSERT_FALSE(full.ok());
  EXPECT_NE(full.error().message.find("not enough free space"), std::string::npos);
  fs::remove(src_ / "welcome.png");
  auto missing = sync_content_from_folder(src_.string(), dest_.string(), opts());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("listed in the manifest but missing"), std::string::npos);
  EXPECT_FALSE(fs::exists(dest_ / "current"));
}

}  // namespace
}  // namespace branchcast
