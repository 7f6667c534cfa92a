// Content paths may not leave content_root: "..", absolute paths and symlinks out are refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/loader_paths.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

using ::testing::HasSubstr;
using testing::join;
using testing::TempDir;

class ContentRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.write("root/content/a.png", "x");
    t_.write("outside/secret.png", "x");
    std::filesystem::create_symlink(t_ / "outside/secret.png", t_ / "root/content/out.png");
    std::filesystem::create_symlink(t_ / "root/content/a.png", t_ / "root/content/in.png");
    std::filesystem::create_directory_symlink(t_ / "outside", t_ / "root/content/outdir");
  }
  std::string check(const std::string& ref) {
    std::string path = t_.write("root/playlists/p.yaml", "default:\n  - image: " + ref + "\n");
    return join(load_playlist(path, t_ / "root").errors);
  }
  TempDir t_;
};

TEST_F(ContentRoot, InsideIsFineEvenThroughDotDotAndInnerSymlinks) {
  EXPECT_EQ(check("../content/a.png"), "");
  EXPECT_EQ(check("../content/in.png"), "");
  EXPECT_EQ(check("./../playlists/../content/a.png"), "");
  EXPECT_EQ(check("'" + t_ / "root/content/a.png" + "'"), "");
}

TEST_F(ContentRoot, EscapesAreRefused) {
  EXPECT_THAT(check("../../outside/secret.png"), HasSubstr(":2:12: error: image '../../outside/secret.png' is outside content_root\n"));
  EXPECT_THAT(check("../../outside/missing.png"), HasSubstr("is outside content_root\n"));
  EXPECT_THAT(check("/etc/passwd"), HasSubstr("error: image '/etc/passwd' is outside content_root\n"));
  EXPECT_THAT(check("../content/out.png"),
              HasSubstr("error: image '../content/out.png' is outside content_root (through a symbolic link)\n"));
  EXPECT_THAT(check("../content/outdir/secret.png"), HasSubstr("(through a symbolic link)\n"));
}

TEST_F(ContentRoot, MissingFilesAndFolders) {
  EXPECT_THAT(check("../content/nope.png"), HasSubstr("error: image '../content/nope.png' does not exist\n"));
  EXPECT_THAT(check("../content"), HasSubstr("error: image '../content' is not a file\n"));
}

TEST(DisplayJoin, KeepsThePathAsTheUserNamedIt) {
  EXPECT_EQ(display_join("appliance.yaml", "playlists/e.yaml"), "playlists/e.yaml");
  EXPECT_EQ(display_join("demo/appliance.yaml", "playlists/e.yaml"), "demo/playlists/e.yaml");
  EXPECT_EQ(display_join("demo/appliance.yaml", "../x.yaml"), "demo/../x.yaml");
  EXPECT_EQ(display_join("demo/appliance.yaml", "/abs/x.yaml"), "/abs/x.yaml");
  EXPECT_EQ(file_url_path("file:feeds/a.xml"), "feeds/a.xml");
  EXPECT_EQ(file_url_path("file:/abs/a.xml"), "/abs/a.xml");
  EXPECT_EQ(file_url_path("file:///abs/a.xml"), "/abs/a.xml");
  EXPECT_EQ(file_url_path("https://x"), "");
}

}  // namespace
}  // namespace branchcast
