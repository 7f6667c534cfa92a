// The state database never keeps the screens dark (issue 13, finding 1): garbage, truncated or
// malformed files and a folder in the file's place are moved aside (kept, byte for byte) and a
// fresh database starts; storage that cannot be written runs in memory. And proof of play that
// cannot be written (finding 8) is kept in memory, bounded, and written in order when space
// returns (SQLite's max_page_count stands in for a full disk).
#include "store/state_database.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/play_log_repository.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;
const TimePoint kNow = TimePoint(std::chrono::seconds(1767225600));  // 2026-01-01T00:00:00Z

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

PlayRecord play(int n) {
  PlayRecord r;
  r.screen = "hall";
  r.rule = "default";
  r.kind = "image";
  r.item = "content/" + std::to_string(n) + ".png";
  r.start = kNow + std::chrono::seconds(n);
  r.seconds_shown = 8;
  return r;
}

// The database works: a proof-of-play row goes in and comes back.
void expect_usable(Database& db) {
  auto plays = PlayLogRepository::open(db);
  ASSERT_TRUE(plays.ok()) << plays.error().to_string();
  ASSERT_TRUE(plays->add(play(1)).ok());
  auto rows = plays->between("", kNow, kNow + std::chrono::hours(1));
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 1u);
}

TEST(StateDatabase, AGoodDatabaseIsUsedAsItIs) {
  testing::TempDir t;
  {
    auto first = open_state_database(t.path(), kNow);
    EXPECT_FALSE(first.status.degraded()) << first.status.reason;
    EXPECT_EQ(first.status.storage, StateStorage::kFile);
    expect_usable(*first.db);
  }
  auto again = open_state_database(t.path(), kNow);
  EXPECT_FALSE(again.status.degraded()) << again.status.reason;
  auto plays = PlayLogRepository::open(*again.db);
  ASSERT_TRUE(plays.ok());
  EXPECT_EQ(*plays->last_id(), 1);
  EXPECT_TRUE(inspect_state_database(t.path()).usable);
  EXPECT_TRUE(inspect_state_database(t.path()).moved_aside.empty());
}

TEST(StateDatabase, GarbageIsMovedAsideAndKeptAndAFreshDatabaseStarts) {
  testing::TempDir t;
  std::string garbage(100000, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 2654435761u) >> 13);
  std::string db_path = t.write("branchcast.db", garbage);
  StateDatabaseReport before = inspect_state_database(t.path());
  EXPECT_FALSE(before.usable);
  EXPECT_NE(before.problem.find("not an SQLite database"), std::string::npos) << before.problem;

  auto s = open_state_database(t.path(), kNow);
  EXPECT_EQ(s.status.storage, StateStorage::kFreshFile);
  EXPECT_TRUE(s.status.degraded());
  EXPECT_EQ(s.status.moved_aside, db_path + ".damaged-20260101T000000Z");
  EXPECT_NE(s.status.reason.find(db_path), std::string::npos) << s.status.reason;
  EXPECT_NE(s.status.reason.find("not an SQLite database"), std::string::npos) << s.status.reason;
  EXPECT_NE(s.status.summary().find("state storage degraded"), std::string::npos);
  EXPECT_EQ(read_all(s.status.moved_aside), garbage);  // kept for diagnosis, byte for byte
  expect_usable(*s.db);

  StateDatabaseReport after = inspect_state_database(t.path());
  EXPECT_TRUE(after.usable) << after.problem;
  ASSERT_EQ(after.moved_aside.size(), 1u);
  EXPECT_EQ(after.moved_aside[0], s.status.moved_aside);
}

TEST(StateDatabase, ASecondDamageOnTheSameSecondKeepsBothFiles) {
  testing::TempDir t;
  t.write("branchcast.db", "garbage one, long enough to be read as a header");
  auto first = open_state_database(t.path(), kNow);
  first.db.reset();
  t.write("branchcast.db", "garbage two, long enough to be read as a header");
  auto second = open_state_database(t.path(), kNow);
  EXPECT_NE(first.status.moved_aside, second.status.moved_aside);
  EXPECT_EQ(inspect_state_database(t.path()).moved_aside.size(), 2u);
}

TEST(StateDatabase, ATruncatedDatabaseIsMovedAside) {
  testing::TempDir t;
  std::string db_path = t / "branchcast.db";
  {
    auto s = open_state_database(t.path(), kNow);
    auto plays = PlayLogRepository::open(*s.db);
    ASSERT_TRUE(plays.ok());
    ASSERT_TRUE(s.db->exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    ASSERT_TRUE(s.db->transaction([&]() -> Status {
      for (int i = 0; i < 3000; ++i)
        if (auto st = plays->add(play(i)); !st) return st;
      return {};
    }).ok());
    ASSERT_TRUE(s.db->exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    ASSERT_TRUE(s.db->exec("PRAGMA journal_mode=DELETE").ok());
  }
  auto size = fs::file_size(db_path);
  ASSERT_GT(size, 40000u);
  fs::resize_file(db_path, size / 2);
  EXPECT_FALSE(inspect_state_database(t.path()).usable);

  auto s = open_state_database(t.path(), kNow);
  EXPECT_EQ(s.status.storage, StateStorage::kFreshFile) << s.status.reason;
  EXPECT_EQ(fs::file_size(s.status.moved_aside), size / 2);
  expect_usable(*s.db);
}

TEST(StateDatabase, AForeignSchemaIsMovedAside) {
  testing::TempDir t;
  {
    auto db = Database::open(t / "branchcast.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->exec("CREATE TABLE play_log (x)").ok());  // not ours: migration v1 cannot apply
  }
  auto s = open_state_database(t.path(), kNow);
  EXPECT_EQ(s.status.storage, StateStorage::kFreshFile) << s.status.reason;
  EXPECT_NE(s.status.reason.find("migration play_log v1"), std::string::npos) << s.status.reason;
  expect_usable(*s.db);
}

TEST(StateDatabase, AMissingTableWithItsMigrationRecordedIsMovedAside) {
  testing::TempDir t;
  {
    auto s = open_state_database(t.path(), kNow);
    ASSERT_TRUE(s.db->exec("DROP TABLE presence_counts").ok());
  }
  auto s = open_state_database(t.path(), kNow);
  EXPECT_EQ(s.status.storage, StateStorage::kFreshFile) << s.status.reason;
  EXPECT_NE(s.status.reason.find("presence_counts"), std::string::npos) << s.status.reason;
}

TEST(StateDatabase, AFolderInTheDatabasesPlaceIsMovedAside) {
  testing::TempDir t;
  t.write("branchcast.db/inside.txt", "kept");
  auto s = open_state_database(t.path(), kNow);
  EXPECT_EQ(s.status.storage, StateStorage::kFreshFile) << s.status.reason;
  EXPECT_NE(s.status.reason.find("a folder"), std::string::npos) << s.status.reason;
  EXPECT_EQ(read_all(s.status.moved_aside + "/inside.txt"), "kept");
  expect_usable(*s.db);
}

TEST(StateDatabase, AStateFolderThatCannotBeCreatedRunsInMemory) {
  testing::TempDir t;
  t.write("not-a-folder", "a file where the state folder should be");
  auto s = open_state_database(t / "not-a-folder/state", kNow);
  EXPECT_EQ(s.status.storage, StateStorage::kMemory);
  EXPECT_NE(s.status.reason.find("cannot create the state folder"), std::string::npos) << s.status.reason;
  EXPECT_NE(s.status.summary().find("in-memory"), std::string::npos);
  expect_usable(*s.db);
}

TEST(StateDatabase, AReadOnlyStateFolderRunsInMemoryAndTouchesNothing) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes through mode 0555; scripts/stress.sh mounts a read-only file system";
  testing::TempDir t;
  std::string garbage = "garbage where the database should be, and the card is read-only";
  t.write("state/branchcast.db", garbage);
  ::chmod((t / "state").c_str(), 0555);
  auto s = open_state_database(t / "state", kNow);
  ::chmod((t / "state").c_str(), 0755);
  EXPECT_EQ(s.status.storage, StateStorage::kMemory);
  EXPECT_NE(s.status.reason.find("cannot move it aside"), std::string::npos) << s.status.reason;
  EXPECT_EQ(read_all(t / "state/branchcast.db"), garbage);
  expect_usable(*s.db);
}

// A full disk: SQLite's page limit makes every write fail with SQLITE_FULL.
// Bad input (issue 12): another process holds the database locked when `run` starts (a stuck
// `sqlite3` shell, a backup tool). The run goes on in memory after SQLite's busy wait; the locked
// file is not damage: it is neither moved aside nor written, and its committed rows stay.
TEST(StateDatabase, ADatabaseLockedByAnotherProcessRunsInMemoryAndKeepsItsRows) {
  testing::TempDir t;
  {
    auto first = open_state_database(t.path(), kNow);
    ASSERT_EQ(first.status.storage, StateStorage::kFile);
    expect_usable(*first.db);
  }
  int locked[2], release[2];
  ASSERT_EQ(::pipe(locked), 0);
  ASSERT_EQ(::pipe(release), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // the other process: takes the lock, holds it until told
    auto db = Database::open(t.path() + "/branchcast.db");
    bool ok = db.ok() && (*db)->exec("PRAGMA locking_mode = EXCLUSIVE").ok() && (*db)->exec("BEGIN EXCLUSIVE").ok();
    char c = ok ? 'y' : 'n';
    (void)!::write(locked[1], &c, 1);
    (void)!::read(release[0], &c, 1);
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(locked[0], &c, 1), 1);
  ASSERT_EQ(c, 'y') << "the other process could not lock the database";
  auto opened = open_state_database(t.path(), kNow);
  EXPECT_EQ(opened.status.storage, StateStorage::kMemory) << opened.status.reason;
  EXPECT_TRUE(opened.status.moved_aside.empty()) << opened.status.reason;
  EXPECT_NE(opened.status.reason.find("locked"), std::string::npos) << opened.status.reason;
  expect_usable(*opened.db);  // the screens play on, in memory
  (void)!::write(release[1], "x", 1);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  for (int fd : {locked[0], locked[1], release[0], release[1]}) ::close(fd);
  auto again = open_state_database(t.path(), kNow);
  ASSERT_EQ(again.status.storage, StateStorage::kFile) << again.status.reason;
  auto plays = PlayLogRepository::open(*again.db);
  ASSERT_TRUE(plays.ok());
  EXPECT_EQ(*plays->last_id(), 1) << "the committed row is there, nothing else was written";
}

TEST(PlayLogBuffer, RowsThatCannotBeWrittenAreKeptAndWrittenInOrderWhenSpaceReturns) {
  auto db = Database::open(":memory:");
  ASSERT_TRUE(db.ok());
  auto plays = PlayLogRepository::open(**db);
  ASSERT_TRUE(plays.ok());
  ASSERT_TRUE(plays->add(play(0)).ok());
  auto pages = (*db)->prepare("PRAGMA page_count");
  ASSERT_TRUE(pages.ok() && *pages->step());
  int64_t full = pages->column_int(0);
  ASSERT_TRUE((*db)->exec("PRAGMA max_page_count = " + std::to_string(full)).ok());

  int failed = 0;
  for (int i = 1; i <= 400; ++i) failed += plays->add(play(i)).ok() ? 0 : 1;
  ASSERT_GT(failed, 0);
  EXPECT_EQ(plays->pending(), static_cast<size_t>(failed));
  Status st = plays->add(play(401));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("disk full"), std::string::npos) << st.error().message;

  ASSERT_TRUE((*db)->exec("PRAGMA max_page_count = 1000000").ok());  // space returns
  ASSERT_TRUE(plays->add(play(402)).ok());
  EXPECT_EQ(plays->pending(), 0u);
  EXPECT_EQ(plays->dropped(), 0u);
  auto rows = plays->between("hall", kNow, kNow + std::chrono::hours(1));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 403u);  // nothing lost
  for (size_t i = 0; i < rows->size(); ++i) EXPECT_EQ((*rows)[i].item, play(static_cast<int>(i)).item);
}

TEST(PlayLogBuffer, TheMemoryKeptIsBoundedAndDropsTheOldestFirst) {
  auto db = Database::open(":memory:");
  ASSERT_TRUE(db.ok());
  auto plays = PlayLogRepository::open(**db);
  ASSERT_TRUE(plays.ok());
  ASSERT_TRUE((*db)->exec("PRAGMA query_only = 1").ok());  // read-only storage
  const int n = static_cast<int>(PlayLogRepository::kMaxPending) + 10;
  for (int i = 0; i < n; ++i) EXPECT_FALSE(plays->add(play(i)).ok());
  EXPECT_EQ(plays->pending(), PlayLogRepository::kMaxPending);
  EXPECT_EQ(plays->dropped(), 10u);
  ASSERT_TRUE((*db)->exec("PRAGMA query_only = 0").ok());
  ASSERT_TRUE(plays->flush().ok());
  auto rows = plays->between("hall", kNow, kNow + std::chrono::hours(3));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), PlayLogRepository::kMaxPending);
  EXPECT_EQ(rows->front().item, play(10).item);  // the 10 oldest were dropped
  EXPECT_EQ(rows->back().item, play(n - 1).item);
}

}  // namespace
}  // namespace branchcast
