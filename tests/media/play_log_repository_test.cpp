#include "store/play_log_repository.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace branchcast {
namespace {

TEST(PlayLogRepository, StoresAndReadsRowsInAWalFile) {
  auto path = std::filesystem::path(::testing::TempDir()) / "play_log_test.db";
  std::filesystem::remove(path);
  {
    auto db = Database::open(path.string());
    ASSERT_TRUE(db.ok());
    auto repo = PlayLogRepository::open(**db);
    ASSERT_TRUE(repo.ok()) << repo.error().message;
    PlayRecord a{"entrance", "default", "image", "content/welcome.png", TimePoint(Duration(1000)), 10.0,
                 std::nullopt, 0.0};
    PlayRecord b{"entrance", "Storytime", "video", "content/storytime.webm", TimePoint(Duration(11000)),
                 5.5, 33.3, 12.0};
    PlayRecord c{"children", "default", "text", "Craft club", TimePoint(Duration(2000)), 8.0, 16.0, 0.0};
    ASSERT_TRUE(repo->add(a).ok());
    ASSERT_TRUE(repo->add(b).ok());
    ASSERT_TRUE(repo->add(c).ok());
  }
  auto db = Database::open(path.string());  // reopened: rows survived, migration not re-applied
  ASSERT_TRUE(db.ok());
  auto repo = PlayLogRepository::open(**db);
  ASSERT_TRUE(repo.ok());
  auto rows = repo->between("entrance", TimePoint(Duration(0)), TimePoint(Duration(60000)));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].item, "content/welcome.png");
  EXPECT_FALSE((*rows)[0].gap_ms.has_value());
  EXPECT_DOUBLE_EQ(*(*rows)[1].gap_ms, 33.3);
  EXPECT_DOUBLE_EQ((*rows)[1].late_ms, 12.0);
  auto all = repo->between("", TimePoint(Duration(0)), TimePoint(Duration(60000)));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
  auto none = repo->between("", TimePoint(Duration(20000)), TimePoint(Duration(60000)));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace branchcast
