// The telemetry buffer over real SQLite: order, removal, cursors, the bound, restarts.
#include "store/telemetry_repository.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace branchcast {
namespace {

const TimePoint kNow = TimePoint(sys_days(std::chrono::year{2026} / 3 / 2)) + std::chrono::hours(9);

std::string scratch(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  auto dir = std::filesystem::path(tmp ? tmp : std::filesystem::temp_directory_path().string()) /
             ("bc-telemetry-repo-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::filesystem::remove(path);
  return path.string();
}

TelemetryRecord msg(const std::string& kind, int n, TimePoint at) { return {0, kind, "{\"n\":" + std::to_string(n) + "}", at}; }

std::vector<std::string> payloads(TelemetryRepository& r) {
  std::vector<std::string> out;
  auto rows = r.oldest(1000).value();
  for (const auto& m : rows) out.push_back(m.payload);
  return out;
}

TEST(TelemetryRepository, KeepsOrderAcrossRestartsAndNeverReusesIds) {
  std::string path = scratch("order.db");
  int64_t last_id = 0;
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok()) << db.error().message;
    auto repo = TelemetryRepository::open(**db);
    ASSERT_TRUE(repo.ok());
    ASSERT_TRUE(repo->enqueue({msg("heartbeat", 1, kNow), msg("play", 2, kNow)}, {{"play_log_id", 17}}).ok());
    ASSERT_TRUE(repo->enqueue({msg("presence", 3, kNow)}).ok());
    auto rows = repo->oldest(10).value();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_LT(rows[0].id, rows[1].id);
    EXPECT_EQ(rows[1].kind, "play");
    EXPECT_EQ(rows[2].created, kNow);
    last_id = rows[2].id;
    ASSERT_TRUE(repo->remove({rows[2].id}).ok());  // the newest acknowledged and deleted
  }
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok());
  auto repo = TelemetryRepository::open(**db);
  ASSERT_TRUE(repo.ok());
  EXPECT_EQ(repo->depth().value(), 2);
  EXPECT_EQ(payloads(*repo), (std::vector<std::string>{"{\"n\":1}", "{\"n\":2}"}));
  EXPECT_EQ(repo->state("play_log_id").value(), std::optional<int64_t>(17));
  EXPECT_EQ(repo->state("presence_start_ms").value(), std::nullopt);
  ASSERT_TRUE(repo->enqueue({msg("heartbeat", 4, kNow)}).ok());
  EXPECT_GT(repo->oldest(10).value().back().id, last_id);  // AUTOINCREMENT: a sequence number
}

TEST(TelemetryRepository, BoundDropsOldHeartbeatsFirstAndCountsDrops) {
  auto db = Database::open(":memory:");
  ASSERT_TRUE(db.ok());
  auto repo = TelemetryRepository::open(**db);
  ASSERT_TRUE(repo.ok());
  TelemetryBufferBound bound;
  bound.max_rows = 6;
  bound.heartbeat_max_age = std::chrono::hours(1);
  bound.max_age = std::chrono::hours(48);
  std::vector<TelemetryRecord> in;
  in.push_back(msg("play", 0, kNow - std::chrono::hours(49)));      // too old: dropped
  in.push_back(msg("heartbeat", 1, kNow - std::chrono::hours(2)));  // old heartbeat: dropped
  for (int i = 2; i < 10; ++i) in.push_back(msg(i % 2 ? "heartbeat" : "play", i, kNow));
  ASSERT_TRUE(repo->enqueue(in).ok());
  auto dropped = repo->enforce(bound, kNow);
  ASSERT_TRUE(dropped.ok()) << dropped.error().message;
  // 2 by age, then 8 left > 6: the two oldest heartbeats (3, 5) go.
  EXPECT_EQ(*dropped, 4);
  EXPECT_EQ(payloads(*repo), (std::vector<std::string>{"{\"n\":2}", "{\"n\":4}", "{\"n\":6}", "{\"n\":7}",
                                                       "{\"n\":8}", "{\"n\":9}"}));
  EXPECT_EQ(repo->dropped_total().value(), 4);

  // Only plays over the bound: the oldest plays go.
  bound.max_rows = 3;
  ASSERT_TRUE(repo->remove({repo->oldest(10).value()[3].id, repo->oldest(10).value()[5].id}).ok());  // 7, 9
  ASSERT_TRUE(repo->enqueue({msg("play", 10, kNow), msg("play", 11, kNow)}).ok());
  EXPECT_EQ(repo->enforce(bound, kNow).value(), 3);
  EXPECT_EQ(payloads(*repo), (std::vector<std::string>{"{\"n\":8}", "{\"n\":10}", "{\"n\":11}"}));
  EXPECT_EQ(repo->dropped_total().value(), 7);
  EXPECT_EQ(repo->enforce(bound, kNow).value(), 0);
}

TEST(TelemetryRepository, AFailedEnqueueLeavesCursorAndBufferUnchanged) {
  auto db = Database::open(":memory:");
  ASSERT_TRUE(db.ok());
  auto repo = TelemetryRepository::open(**db);
  ASSERT_TRUE(repo.ok());
  ASSERT_TRUE(repo->enqueue({msg("play", 1, kNow)}, {{"play_log_id", 5}}).ok());
  // A read-only connection cannot write: the transaction fails as a whole.
  ASSERT_TRUE((*db)->exec("PRAGMA query_only = ON").ok());
  Status s = repo->enqueue({msg("play", 2, kNow)}, {{"play_log_id", 9}});
  EXPECT_FALSE(s.ok());
  ASSERT_TRUE((*db)->exec("PRAGMA query_only = OFF").ok());
  EXPECT_EQ(repo->depth().value(), 1);
  EXPECT_EQ(repo->state("play_log_id").value(), std::optional<int64_t>(5));
}

}  // namespace
}  // namespace branchcast
