#include "store/database.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace branchcast {
namespace {

TEST(Database, MigrationsApplyOnceAndInOrder) {
  auto dir = std::filesystem::temp_directory_path() / ("bc-db-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string path = (dir / "state.db").string();
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    ASSERT_TRUE((*db)->apply_migrations("demo", {"CREATE TABLE t (x INTEGER)"}).ok());
    ASSERT_TRUE((*db)->exec("INSERT INTO t VALUES (1)").ok());
  }
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok());
  auto s = (*db)->apply_migrations("demo", {"CREATE TABLE t (x INTEGER)", "ALTER TABLE t ADD COLUMN y TEXT"});
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  auto q = (*db)->prepare("SELECT x, y FROM t");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->step());
  EXPECT_EQ(q->column_int(0), 1);
  EXPECT_TRUE(q->column_is_null(1));
  std::filesystem::remove_all(dir);
}

TEST(Database, FailedMigrationNamesFileAndRollsBack) {
  auto db = Database::open(":memory:");
  ASSERT_TRUE(db.ok());
  auto s = (*db)->apply_migrations("bad", {"CREATE TABLE a (x)", "THIS IS NOT SQL"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("migration bad v2"), std::string::npos);
  auto q = (*db)->prepare("SELECT MAX(version) FROM schema_migrations WHERE component='bad'");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->step());
  EXPECT_EQ(q->column_int(0), 1);
}

}  // namespace
}  // namespace branchcast
