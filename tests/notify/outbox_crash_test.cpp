// kill -9 loop: a child process sends the outbox to a local server and is killed at random
// points, again and again; every prompt must arrive, and a prompt that arrives twice must carry
// the same idempotency key and content both times.
//
// The child is this binary re-executed with --gtest_filter=OutboxCrash.ChildWorker and
// BC_CRASH_DB set (so no fork of a threaded process).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "notify/outbox.h"
#include "store/outbox_repository.h"
#include "tests/notify/fakes/test_secrets.h"
#include "tests/notify/support/child_process.h"
#include "tests/notify/support/loopback_http_server.h"

namespace branchcast {
namespace {

const TimePoint kNow = TimePoint(sys_days(std::chrono::year{2026} / 3 / 2)) + std::chrono::hours(10);
constexpr int kPrompts = 40;
constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct World {
  std::unique_ptr<Database> db;
  std::unique_ptr<SqliteOutboxRepository> repo;
  std::unique_ptr<HttpClient> http = make_curl_http_client();
  std::unique_ptr<Sender> sender;
  std::unique_ptr<RecipientDirectory> directory;
  std::unique_ptr<NotifyPolicy> policy;
  NullLogSink sink;
  std::unique_ptr<Outbox> outbox;

  World(const std::string& db_path, const std::string& hook_url) {
    db = std::move(Database::open(db_path).value());
    repo = std::move(SqliteOutboxRepository::open(*db).value());
    sender = std::make_unique<Sender>(*http, nullptr, test::secrets_of({{"HOOK_SECRET", kSecret}}), SenderOptions{},
                                      system_random_bytes());
    directory = std::make_unique<RecipientDirectory>(std::vector<PatronSettings>{},
                                                     std::map<std::string, std::string>{{"nearby", hook_url}});
    PolicyConfig pc;
    pc.max_per_patron_per_day = 1000;
    pc.bucket_capacity = 1000;
    policy = std::make_unique<NotifyPolicy>(pc, TimeZone::utc());
    outbox = std::make_unique<Outbox>(*repo, *sender, *directory, *policy, [] { return 0.0; }, Logger(sink, "notify"));
  }
};

TEST(OutboxCrash, ChildWorker) {
  const char* db_path = std::getenv("BC_CRASH_DB");
  if (!db_path) GTEST_SKIP() << "only run as the child of KillNineLoopLosesNothing";
  World w(db_path, std::getenv("BC_CRASH_URL"));
  ASSERT_TRUE(w.outbox->recover().ok());
  for (;;) {
    auto t = w.outbox->send_due(kNow);
    ASSERT_TRUE(t.ok()) << t.error().message;
    if (t->sent + t->retried + t->failed + t->expired == 0) break;
  }
}

int spawn_child(const std::string& db_path, const std::string& url) {
  return test::spawn_self("OutboxCrash.ChildWorker", {"BC_CRASH_DB=" + db_path, "BC_CRASH_URL=" + url});
}

TEST(OutboxCrash, KillNineLoopLosesNothing) {
  std::mutex mu;
  std::map<std::string, std::vector<std::string>> received;  // webhook-id -> message bodies
  test::LoopbackHttpServer server([&](const test::RecordedRequest& req) {
    std::lock_guard<std::mutex> lock(mu);
    received[req.header("webhook-id")].push_back(nlohmann::json::parse(req.body)["data"]["message"]);
    test::Reply r;
    r.delay = std::chrono::milliseconds(req.body.size() % 7);  // widen the window a little
    return r;
  });
  auto dir = std::filesystem::temp_directory_path() / ("bc-crash-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string db_path = (dir / "branchcast.db").string();
  std::string url = "webhook+http://" + server.authority() + "/hook?secret=${HOOK_SECRET}";
  std::map<std::string, std::string> expected;  // key -> message
  {
    World w(db_path, url);
    for (int i = 0; i < kPrompts; ++i) {
      Prompt p;
      p.prompt_id = "event-" + std::to_string(i);
      p.content.title = "Event";
      p.content.message = "message for event " + std::to_string(i);
      auto r = w.outbox->enqueue_named("nearby", p, kNow);
      ASSERT_TRUE(r.ok() && r->queued);
      expected[r->idempotency_key] = p.content.message;
    }
  }
  auto loop = test::run_kill_nine_loop([&] { return spawn_child(db_path, url); }, 60, 300, 1, 40, 20260302);
  ASSERT_FALSE(loop.child_failed) << "child failed";
  const int runs = loop.runs, kills = loop.kills;
  const bool finished = loop.finished;
  ASSERT_TRUE(finished);
  EXPECT_GE(kills, 10);
  std::lock_guard<std::mutex> lock(mu);
  int duplicates = 0;
  for (const auto& [key, message] : expected) {
    auto it = received.find(key);
    ASSERT_NE(it, received.end()) << "lost: " << message;
    for (const auto& body : it->second) EXPECT_EQ(body, message);  // duplicates carry the same key and content
    duplicates += static_cast<int>(it->second.size()) - 1;
  }
  EXPECT_EQ(received.size(), expected.size());  // nothing unexpected arrived
  World w(db_path, url);
  auto rows = w.repo->all();
  ASSERT_TRUE(rows.ok());
  for (const auto& row : *rows) EXPECT_EQ(row.state, OutboxState::kSent);
  std::printf("kill -9 loop: %d runs, %d kills, %d prompts, %d duplicate deliveries (same key)\n", runs, kills,
              kPrompts, duplicates);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace branchcast
