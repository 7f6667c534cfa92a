// The outbox over a real SQLite file, a real Sender and a loopback HTTP server. Time is a value.
#include "notify/outbox.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "store/outbox_repository.h"
#include "tests/notify/fakes/test_secrets.h"
#include "tests/notify/support/loopback_http_server.h"

namespace branchcast {
namespace {

using test::Reply;

// Monday 2026-03-02 10:00 UTC (the branch is in UTC here).
const TimePoint kMonday10 = TimePoint(sys_days(std::chrono::year{2026} / 3 / 2)) + std::chrono::hours(10);
constexpr char kHookSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

class CapturingSink final : public LogSink {
 public:
  void write(LogLevel, std::string_view tag, std::string_view m) override {
    lines.push_back(std::string(tag) + ": " + std::string(m));
  }
  std::vector<std::string> lines;
};

struct OutboxFixture : ::testing::Test {
  std::string dir = (std::filesystem::temp_directory_path() /
                     ("bc-outbox-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                        .string();
  test::LoopbackHttpServer server;
  std::unique_ptr<HttpClient> http = make_curl_http_client();
  std::unique_ptr<Database> db;
  std::unique_ptr<SqliteOutboxRepository> repo;
  CapturingSink sink;
  std::unique_ptr<Sender> sender;
  std::vector<PatronSettings> patrons;
  std::unique_ptr<RecipientDirectory> directory;
  std::unique_ptr<NotifyPolicy> policy;
  double unit = 0.0;
  std::unique_ptr<Outbox> outbox;

  void SetUp() override {
    std::filesystem::remove_all(dir);
    PatronSettings p;
    p.id = "p-4821";
    for (int i = 0; i < 16; ++i) p.key[i] = static_cast<uint8_t>(0x7b + i);
    p.notify = "webhook+http://" + server.authority() + "/hook/p-4821-3f9a?secret=${HOOK_SECRET}";
    patrons.push_back(p);
    open();
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  void open() {
    outbox.reset();
    repo.reset();
    db.reset();
    db = std::move(Database::open(dir + "/branchcast.db").value());
    repo = std::move(SqliteOutboxRepository::open(*db).value());
    sender = std::make_unique<Sender>(*http, nullptr, test::secrets_of({{"HOOK_SECRET", kHookSecret}}), SenderOptions{},
                                      system_random_bytes());
    directory = std::make_unique<RecipientDirectory>(
        patrons, std::map<std::string, std::string>{{"nearby", "ntfy://" + server.authority() + "/central-entrance"}});
    PolicyConfig pc;
    pc.max_per_patron_per_day = 2;
    policy = std::make_unique<NotifyPolicy>(pc, TimeZone::utc());
    OutboxOptions oo;
    oo.backoff = {Duration(2000), Duration(60'000)};
    outbox = std::make_unique<Outbox>(*repo, *sender, *directory, *policy, [this] { return unit; },
                                      Logger(sink, "notify"), oo);
  }

  Prompt prompt(const std::string& id) {
    Prompt p;
    p.prompt_id = id;
    p.content.title = "Author talk";
    p.content.message = "Ann Cleeves talks here tomorrow at 7pm";
    return p;
  }

  std::vector<OutboxEntry> rows() { return repo->all().value(); }
};

TEST_F(OutboxFixture, WritesBeforeSendingThenDeliversWithTheIdempotencyKey) {
  auto r = outbox->enqueue_for_patron(patrons[0], prompt("event-42"), kMonday10);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->queued);
  ASSERT_EQ(rows().size(), 1u);
  EXPECT_EQ(rows()[0].state, OutboxState::kQueued);
  EXPECT_TRUE(server.requests().empty());

  auto t = outbox->send_due(kMonday10);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->sent, 1);
  EXPECT_EQ(rows()[0].state, OutboxState::kSent);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].header("webhook-id"), r->idempotency_key);
  EXPECT_EQ(outbox->next_retry().value(), TimePoint::max());
}

TEST_F(OutboxFixture, NothingIdentifyingIsOnDiskOrInTheLog) {
  ASSERT_TRUE(outbox->enqueue_for_patron(patrons[0], prompt("event-42"), kMonday10).ok());
  server.set_handler([](const test::RecordedRequest&) { return Reply{500, {}, "p-4821-3f9a failed"}; });
  ASSERT_TRUE(outbox->send_due(kMonday10).ok());
  db.reset();  // close, so the WAL is checkpointed into the file
  repo.reset();
  outbox.reset();
  std::string bytes;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(f.path(), std::ios::binary);
    bytes += std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_FALSE(bytes.empty());
  EXPECT_NE(bytes.find("Ann Cleeves"), std::string::npos);  // the prompt itself is there
  for (std::string secret : {std::string("p-4821"), std::string("3f9a"), std::string("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                             server.authority(), std::string("webhook")})
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  for (const auto& line : sink.lines) {
    EXPECT_EQ(line.find("p-4821"), std::string::npos) << line;
    EXPECT_EQ(line.find("3f9a"), std::string::npos) << line;
  }
}

TEST_F(OutboxFixture, SamePromptSameDayIsOneRowAndNeverRepeatsLater) {
  auto a = outbox->enqueue_for_patron(patrons[0], prompt("event-42"), kMonday10);
  auto b = outbox->enqueue_for_patron(patrons[0], prompt("event-42"), kMonday10 + std::chrono::minutes(5));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(b->duplicate);
  EXPECT_EQ(a->idempotency_key, b->idempotency_key);
  ASSERT_TRUE(outbox->send_due(kMonday10).ok());
  auto c = outbox->enqueue_for_patron(patrons[0], prompt("event-42"), kMonday10 + std::chrono::hours(24));
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->queued);
  EXPECT_EQ(c->verdict, PolicyVerdict::kRepeat);
  EXPECT_EQ(rows().size(), 1u);
}

TEST_F(OutboxFixture, DailyLimitCountsPerLocalDay) {
  EXPECT_TRUE(outbox->enqueue_for_patron(patrons[0], prompt("a"), kMonday10)->queued);
  EXPECT_TRUE(outbox->enqueue_for_patron(patrons[0], prompt("b"), kMonday10)->queued);
  EXPECT_EQ(outbox->enqueue_for_patron(patrons[0], prompt("c"), kMonday10)->verdict, PolicyVerdict::kDailyLimit);
  EXPECT_TRUE(outbox->enqueue_for_patron(patrons[0], prompt("c"), kMonday10 + std::chrono::hours(14))->queued);
}

TEST_F(OutboxFixture, RetryAfterIsHonouredAndBackoffIsJittered) {
  ASSERT_TRUE(outbox->enqueue_for_patron(patrons[0], prompt("a"), kMonday10).ok());
  server.set_handler([](const test::RecordedRequest&) { return Reply{429, {{"Retry-After", "120"}}, ""}; });
  auto t = outbox->send_due(kMonday10);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->retried, 1);
  EXPECT_EQ(rows()[0].next_attempt, kMonday10 + std::chrono::seconds(120));
  EXPECT_EQ(rows()[0].last_error, "retry HTTP 429");
  EXPECT_EQ(outbox->send_due(kMonday10 + std::chrono::seconds(119))->retried, 0);
  EXPECT_EQ(server.requests().size(), 1u);

  server.set_handler([](const test::RecordedRequest&) { return Reply{500, {}, ""}; });
  unit = 0.5;  // attempt 1: uniform in [0, 2s * 2^1] -> 2s
  TimePoint t2 = kMonday10 + std::chrono::seconds(120);
  ASSERT_EQ(outbox->send_due(t2)->retried, 1);
  EXPECT_EQ(rows()[0].next_attempt, t2 + std::chrono::seconds(2));
  EXPECT_EQ(rows()[0].attempts, 2);

  server.set_handler([](const test::RecordedRequest&) { return Reply{200, {}, ""}; });
  ASSERT_EQ(outbox->send_due(t2 + std::chrono::seconds(2))->sent, 1);
  EXPECT_EQ(rows()[0].state, OutboxState::kSent);
}

TEST_F(OutboxFixture, StalePromptsExpireUnsent) {
  ASSERT_TRUE(outbox->enqueue_for_patron(patrons[0], prompt("a"), kMonday10).ok());
  server.set_handler([](const test::RecordedRequest&) { return Reply{503, {{"Retry-After", "900"}}, ""}; });
  auto t = outbox->send_due(kMonday10);
  EXPECT_EQ(t->expired, 1);  // the retry would land after the 10-minute TTL
  EXPECT_EQ(rows()[0].state, OutboxState::kExpired);

  ASSERT_TRUE(outbox->enqueue_for_patron(patrons[0], prompt("b"), kMonday10).ok());
  server.set_handler([](const test::RecordedRequest&) { return Reply{200, {}, ""}; });
  EXPECT_EQ(outbox->send_due(kMonday10 + std::chrono::minutes(10))->expired, 1);
  EXPECT_EQ(server.requests().size(), 1u);  // b was never sent
}

TEST_F(OutboxFixture, GoneSubscriptionIsPrunedAndPermanentFailuresStop) {
  ASSERT_TRUE(outbox->enqueue_for_patron(patrons[0], prompt("a"), kMonday10).ok());
  server.set_handler([](const test::RecordedRequest&) { return Reply{410, {}, ""}; });
  auto t = outbox->send_due(kMonday10);
  EXPECT_EQ(t->pruned, 1);
  EXPECT_EQ(rows()[0].state, OutboxState::kFailed);
  ASSERT_TRUE(outbox->enqueue_for_patron(patrons[0], prompt("b"), kMonday10).ok());
  EXPECT_EQ(outbox->send_due(kMonday10)->failed, 1);
  EXPECT_EQ(server.requests().size(), 1u);  // the pruned address is not tried again

  // A changed subscription (new address) is a new fingerprint: it is used again.
  patrons[0].notify += "&v=2";
  open();
  ASSERT_TRUE(outbox->enqueue_named("nearby", prompt("x"), kMonday10).ok());
  server.set_handler([](const test::RecordedRequest&) { return Reply{400, {}, ""}; });
  EXPECT_EQ(outbox->send_due(kMonday10)->failed, 1);
  EXPECT_EQ(outbox->next_retry().value(), TimePoint::max());  // 400 is final
}

TEST_F(OutboxFixture, SendingRowsFromACrashAreSentAgainWithTheSameKey) {
  auto r = outbox->enqueue_for_patron(patrons[0], prompt("a"), kMonday10);
  ASSERT_TRUE(repo->mark_sending(rows()[0].id, 1).ok());  // the process died mid-send
  open();
  EXPECT_EQ(outbox->recover().value(), 1);
  EXPECT_EQ(outbox->send_due(kMonday10)->sent, 1);
  EXPECT_EQ(server.requests().at(0).header("webhook-id"), r->idempotency_key);
  EXPECT_EQ(rows()[0].attempts, 2);
}

TEST_F(OutboxFixture, APatronRemovedFromTheConfigIsNotSent) {
  ASSERT_TRUE(outbox->enqueue_for_patron(patrons[0], prompt("a"), kMonday10).ok());
  patrons.clear();
  open();
  EXPECT_EQ(outbox->send_due(kMonday10)->failed, 1);
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace branchcast
