// FeedService against a real HTTP server on 127.0.0.1 (feed_http_server.py), the real libcurl
// client, real SQLite, and a real worker thread. The loop is a queue drained by the test thread;
// time is a value passed to tick(). Waiting is for posted results, never for time to pass.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>

#include "feeds/feed_service.h"
#include "common/worker_thread.h"
#include "feeds/feed_source.h"
#include "store/feed_cache_repository.h"

extern char** environ;

namespace branchcast {
namespace {

class PythonServer {
 public:
  PythonServer() {
    int in[2], out[2];
    EXPECT_EQ(pipe(in), 0);
    EXPECT_EQ(pipe(out), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    std::string script = std::string(BRANCHCAST_SOURCE_DIR) + "/tests/feeds/feed_http_server.py";
    char* argv[] = {const_cast<char*>("/usr/bin/python3"), script.data(), nullptr};
    EXPECT_EQ(posix_spawn(&pid_, argv[0], &fa, nullptr, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    port_ = std::atoi(line.c_str());
  }
  ~PythonServer() {
    close(stdin_);
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  pid_t pid_ = 0;
  int stdin_ = -1;
  int port_ = 0;
};

// The loop: post() from any thread, drained on the test thread.
class TestLoop {
 public:
  void post(std::function<void()> fn) {
    {
      std::lock_guard<std::mutex> l(mu_);
      q_.push_back(std::move(fn));
    }
    cv_.notify_all();
  }
  // Runs posted functions until `done` holds; false if nothing arrives for a long time (a hang).
  bool run_until(const std::function<bool()>& done) {
    while (!done()) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> l(mu_);
        if (!cv_.wait_for(l, std::chrono::seconds(60), [&] { return !q_.empty(); })) return false;
        fn = std::move(q_.front());
        q_.pop_front();
      }
      fn();
    }
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> q_;
};

// Records log lines (to check causes are logged and URLs are not).
class RecordingSink final : public LogSink {
 public:
  void write(LogLevel, std::string_view tag, std::string_view m) override {
    std::lock_guard<std::mutex> l(mu_);
    lines.push_back(std::string(tag) + ": " + std::string(m));
  }
  std::string all() {
    std::lock_guard<std::mutex> l(mu_);
    std::string s;
    for (const auto& x : lines) s += x + "\n";
    return s;
  }
  std::vector<std::string> lines;

 private:
  std::mutex mu_;
};

TimePoint at(const char* iso) { return *TimeZone::utc().parse_iso(iso); }

class FeedServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::open(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    auto repo = FeedCacheRepository::open(*db_);
    ASSERT_TRUE(repo.ok());
    cache_ = std::move(*repo);
    http_ = make_curl_http_client();
  }

  std::unique_ptr<FeedService> make(const std::string& url, Duration refresh = std::chrono::minutes(15)) {
    FeedSettings f;
    f.id = "events";
    f.kind = FeedKind::kIcal;
    f.url = url;
    f.refresh = refresh;
    f.max_bytes = 1024 * 1024;
    FeedServiceOptions o;
    o.total_timeout = std::chrono::seconds(3);
    o.low_speed_bytes = 100;
    o.low_speed_time = std::chrono::seconds(1);
    auto s = std::make_unique<FeedService>(
        std::vector<FeedSettings>{f}, o, *http_, *cache_, [this](auto fn) { worker_.submit(std::move(fn)); },
        [this](auto fn) { loop_.post(std::move(fn)); }, Logger(sink_, "feeds"));
    s->subscribe([this](const Catalogue& c) { published_.push_back(c.events.size()); });
    return s;
  }

  // Ticks at `now` and runs the loop until the fetch has come back.
  FeedHealth fetch(FeedService& s, TimePoint now) {
    s.tick(Turn{now, {}});
    EXPECT_TRUE(loop_.run_until([&] { return !s.health(now).front().fetching; })) << "fetch never finished";
    return s.health(now).front();
  }

  void set_mode(const std::string& path, const std::string& mode) {
    HttpRequest r;
    r.url = server_.url("/mode?path=" + path + "&mode=" + mode);
    ASSERT_TRUE(http_->perform(r).ok());
  }
  std::string stats(const std::string& path) {
    HttpRequest r;
    r.url = server_.url("/stats?path=" + path);
    return http_->perform(r)->body;
  }

  PythonServer server_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<FeedCacheRepository> cache_;
  std::unique_ptr<HttpClient> http_;
  RecordingSink sink_;
  TestLoop loop_;
  std::vector<size_t> published_;
  WorkerThread worker_;  // last: joined first
};

TEST_F(FeedServiceTest, FetchesThenRevalidatesWithEtag) {
  auto s = make(server_.url("/cal"));
  TimePoint t0 = at("2026-03-01T10:00Z");
  s->start(t0);
  EXPECT_EQ(s->next_deadline(t0), t0);
  auto h = fetch(*s, t0);
  EXPECT_EQ(h.last_error, "");
  EXPECT_EQ(h.last_success, t0);
  ASSERT_EQ(s->catalogue().events.size(), 1u);
  EXPECT_EQ(s->catalogue().events[0].feed, "events");
  EXPECT_EQ(s->next_deadline(t0), t0 + std::chrono::minutes(15));
  TimePoint t1 = t0 + std::chrono::minutes(15);
  h = fetch(*s, t1);
  EXPECT_EQ(h.last_success, t1);
  EXPECT_EQ(stats("/cal"), "1 1 0");  // one 200, one 304
  EXPECT_EQ(s->catalogue().events.size(), 1u);
  auto rows = cache_->statuses();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].last_success, t1);
  auto cached = cache_->load("events");
  ASSERT_TRUE(cached.ok() && cached->has_value());
  EXPECT_EQ((*cached)->etag, "\"v1\"");
  EXPECT_NE((*cached)->body.find("Author talk"), std::string::npos);
}

TEST_F(FeedServiceTest, AClockStepKeepsTheWaitToTheNextRefresh) {
  auto s = make(server_.url("/cal"));
  TimePoint t0 = at("2026-03-01T10:00Z");
  s->start(t0);
  fetch(*s, t0);
  s->clock_stepped(-std::chrono::hours(3), Turn{});  // set back at t0 + 5 min: the refresh is 10 min away
  EXPECT_EQ(s->next_deadline(t0), t0 + std::chrono::minutes(15) - std::chrono::hours(3));
  // A step while a fetch is in flight counts from when the fetch started, on the new clock.
  TimePoint t1 = t0 + std::chrono::minutes(15) - std::chrono::hours(3);
  s->tick(Turn{t1, {}});
  s->clock_stepped(std::chrono::days(90), Turn{});
  ASSERT_TRUE(loop_.run_until([&] { return !s->health(t1).front().fetching; }));
  EXPECT_EQ(s->next_deadline(t1), t1 + std::chrono::days(90) + std::chrono::minutes(15));
}

TEST_F(FeedServiceTest, GzipAndRedirects) {
  set_mode("/gz", "gzip");
  auto s = make(server_.url("/gz"));
  s->start(at("2026-03-01T10:00Z"));
  auto h = fetch(*s, at("2026-03-01T10:00Z"));
  EXPECT_EQ(h.last_error, "");
  EXPECT_EQ(stats("/gz"), "1 0 1");
  EXPECT_EQ(s->catalogue().events.size(), 1u);
  set_mode("/r", "redirect");
  auto r = make(server_.url("/r"));
  r->start(at("2026-03-01T10:00Z"));
  EXPECT_EQ(fetch(*r, at("2026-03-01T10:00Z")).last_error, "");
}

TEST_F(FeedServiceTest, FailuresAreClearAndTheLastGoodCopyIsKept) {
  auto s = make(server_.url("/bad/private-key-123?token=SECRET"));
  TimePoint now = at("2026-03-01T10:00Z");
  s->start(now);
  ASSERT_EQ(fetch(*s, now).last_error, "");
  struct Case { const char* mode; const char* expect; };
  for (Case c : {Case{"500", "HTTP status 500"}, Case{"404", "HTTP status 404"}, Case{"hang", "too slow"},
                 Case{"slowloris", "too slow"}, Case{"huge", "larger than"}, Case{"huge-nolen", "larger than"},
                 Case{"loop", "edirect"}}) {
    SCOPED_TRACE(c.mode);
    set_mode("/bad/private-key-123", c.mode);
    now = s->next_deadline(now);
    auto h = fetch(*s, now);
    EXPECT_NE(h.last_error.find(c.expect), std::string::npos) << h.last_error;
    EXPECT_EQ(h.last_error_at, now);
    EXPECT_EQ(s->catalogue().events.size(), 1u);  // last good copy still served
    EXPECT_LE(s->next_deadline(now) - now, Duration(std::chrono::minutes(15)));
    auto rows = cache_->statuses();
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ((*rows)[0].last_error, h.last_error);
  }
  // The cause is logged, the private path and token never.
  std::string logs = sink_.all();
  EXPECT_NE(logs.find("HTTP status 500"), std::string::npos);
  EXPECT_EQ(logs.find("private-key-123"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("SECRET"), std::string::npos);
}

// Issue 13, finding 7: 429 Retry-After was ignored (retried after the 1 min backoff).
TEST_F(FeedServiceTest, TooManyRequestsWaitsAsTheServerAsks) {
  set_mode("/r.ics", "429");
  auto s = make(server_.url("/r.ics"));
  TimePoint t0 = at("2026-03-02T09:00:00Z");
  s->start(t0);
  FeedHealth h = fetch(*s, t0);
  EXPECT_NE(h.last_error.find("HTTP status 429"), std::string::npos) << h.last_error;
  EXPECT_NE(h.last_error.find("retry after 600 s"), std::string::npos) << h.last_error;
  EXPECT_EQ(h.next_attempt, t0 + std::chrono::seconds(600));
  EXPECT_EQ(s->next_deadline(t0), t0 + std::chrono::seconds(600));
}

TEST(RetryAfter, SecondsAndHttpDates) {
  TimePoint now = at("2026-03-02T09:00:00Z");
  EXPECT_EQ(parse_retry_after("120", now), std::chrono::duration_cast<Duration>(std::chrono::seconds(120)));
  EXPECT_EQ(parse_retry_after("Mon, 02 Mar 2026 09:05:00 GMT", now),
            std::chrono::duration_cast<Duration>(std::chrono::minutes(5)));
  EXPECT_EQ(parse_retry_after("99999999", now), std::chrono::duration_cast<Duration>(std::chrono::hours(24)));
  EXPECT_EQ(parse_retry_after("Mon, 02 Mar 2026 08:00:00 GMT", now), Duration(0));
  EXPECT_FALSE(parse_retry_after("soon", now).has_value());
}

// Issue 13, finding 7: one slow feed held the single shared worker 30-60 s per attempt. With a
// worker per feed (a fair queue of N threads) the fast feed is served while the slow one hangs.
TEST(FeedServicePool, ASlowFeedNeverDelaysAnother) {
  PythonServer server;
  auto db = Database::open(":memory:");
  ASSERT_TRUE(db.ok());
  auto repo = FeedCacheRepository::open(**db);
  ASSERT_TRUE(repo.ok());
  auto http = make_curl_http_client();
  {
    HttpRequest r;
    r.url = server.url("/mode?path=/slow.ics&mode=hang");
    ASSERT_TRUE(http->perform(r).ok());
  }
  std::vector<FeedSettings> feeds(2);
  feeds[0].id = "a-slow";
  feeds[0].url = server.url("/slow.ics");
  feeds[1].id = "b-fast";
  feeds[1].url = server.url("/fast.ics");
  for (auto& f : feeds) f.kind = FeedKind::kIcal;
  FeedServiceOptions o;
  o.total_timeout = std::chrono::seconds(5);  // the slow fetch gives up then (the pool joins it)
  TestLoop loop;
  NullLogSink sink;
  WorkerThread pool(2);
  {
    FeedService s(feeds, o, *http, **repo, [&](auto fn) { pool.submit(std::move(fn)); },
                  [&](auto fn) { loop.post(std::move(fn)); }, Logger(sink, "feeds"));
    TimePoint t0 = at("2026-03-02T09:00:00Z");
    s.start(t0);
    s.tick(Turn{t0, {}});  // a-slow is launched first
    auto fetching = [&](const char* id) {
      for (const auto& h : s.health(t0))
        if (h.id == id) return h.fetching;
      return false;
    };
    ASSERT_TRUE(loop.run_until([&] { return !fetching("b-fast"); }));
    EXPECT_TRUE(fetching("a-slow"));  // still hanging: the fast feed did not wait for it
    for (const auto& h : s.health(t0))
      if (h.id == "b-fast") {
        EXPECT_EQ(h.last_error, "");
      }
  }
}

// Issue 13, item 4: all feeds together have a budget (items and estimated bytes). A feed whose
// new copy would take the total over it is refused whole, naming the limit; the others stay.
TEST(FeedServiceBudget, AFeedThatWouldTakeAllFeedsOverTheTotalIsRefusedWhole) {
  std::string dir = std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp";
  std::vector<FeedSettings> feeds(2);
  for (int i = 0; i < 2; ++i) {
    std::string path = dir + "/feed_budget_" + std::to_string(::getpid()) + "_" + std::to_string(i) + ".ics";
    std::string body = "BEGIN:VCALENDAR\r\n";
    for (int e = 0; e < 3; ++e)
      body += "BEGIN:VEVENT\r\nUID:" + std::to_string(i) + "-" + std::to_string(e) + "\r\nDTSTART:2026030" +
              std::to_string(e + 3) + "T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\n";
    std::ofstream(path) << body << "END:VCALENDAR\r\n";
    feeds[i].id = i == 0 ? "first" : "second";
    feeds[i].kind = FeedKind::kIcal;
    feeds[i].url = "file:" + path;
  }
  auto db = Database::open(":memory:");
  ASSERT_TRUE(db.ok());
  auto repo = FeedCacheRepository::open(**db);
  ASSERT_TRUE(repo.ok());
  auto http = make_curl_http_client();
  FeedServiceOptions o;
  o.max_total_items = 4;
  TestLoop loop;
  NullLogSink sink;
  WorkerThread worker;  // one thread: "first" finishes first
  FeedService s(feeds, o, *http, **repo, [&](auto fn) { worker.submit(std::move(fn)); },
                [&](auto fn) { loop.post(std::move(fn)); }, Logger(sink, "feeds"));
  TimePoint t0 = at("2026-03-02T09:00:00Z");
  s.start(t0);
  s.tick(Turn{t0, {}});
  ASSERT_TRUE(loop.run_until([&] {
    for (const auto& h : s.health(t0))
      if (h.fetching) return false;
    return true;
  }));
  auto h = s.health(t0);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].last_error, "");
  EXPECT_EQ(h[0].items, 3u);
  EXPECT_EQ(h[1].items, 0u);
  EXPECT_NE(h[1].last_error.find("over the limit of 4 items across all feeds"), std::string::npos) << h[1].last_error;
  EXPECT_NE(h[1].last_error.find("refused whole"), std::string::npos) << h[1].last_error;
  EXPECT_EQ(s.catalogue().events.size(), 3u);
  EXPECT_GT(catalogue_bytes(s.catalogue()), 3 * sizeof(CatalogueEvent));
  // The defaults: the Zero 2 W budget (docs/feeds.md "Memory budget").
  FeedServiceOptions defaults;
  EXPECT_EQ(defaults.max_total_items, 10'000u);
  EXPECT_EQ(defaults.max_total_bytes, 12u * 1024 * 1024);
}

// The merged catalogue is published once and shared (issue 13, memory): subscribers are handed
// the very object shared_catalogue() gives (the schedulers and the recommender hold it, not a
// copy), and a publish makes a new one without changing the one already handed out.
TEST_F(FeedServiceTest, ThePublishedCatalogueIsSharedNotCopied) {
  auto s = make(server_.url("/cal"));
  std::vector<const Catalogue*> seen;
  s->subscribe([&](const Catalogue& c) { seen.push_back(&c); });
  s->start(at("2026-03-01T10:00Z"));
  std::shared_ptr<const Catalogue> first = s->shared_catalogue();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), first.get());
  const size_t before = first->events.size();
  fetch(*s, at("2026-03-01T10:00Z"));
  EXPECT_EQ(seen.back(), s->shared_catalogue().get());
  EXPECT_NE(first.get(), s->shared_catalogue().get());
  EXPECT_EQ(first->events.size(), before) << "a published catalogue never changes";
  EXPECT_EQ(&s->catalogue(), s->shared_catalogue().get());
}

TEST_F(FeedServiceTest, RestartServesTheCachedCopyBeforeTheNetwork) {
  {
    auto s = make(server_.url("/cal2"));
    s->start(at("2026-03-01T10:00Z"));
    fetch(*s, at("2026-03-01T10:00Z"));
  }
  set_mode("/cal2", "500");
  published_.clear();
  auto s = make(server_.url("/cal2"));
  s->start(at("2026-03-01T12:00Z"));
  ASSERT_EQ(published_, std::vector<size_t>{1});  // published from SQLite at start
  auto h = fetch(*s, at("2026-03-01T12:00Z"));
  EXPECT_NE(h.last_error.find("500"), std::string::npos);
  EXPECT_EQ(h.last_success, at("2026-03-01T10:00Z"));
  EXPECT_EQ(h.age, Duration(std::chrono::hours(2)));
  EXPECT_EQ(s->catalogue().events.size(), 1u);
}

TEST_F(FeedServiceTest, FileUrlsAndUnparseableBodies) {
  std::string dir = std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp";
  std::string path = dir + "/feed_service_test.ics";
  std::ofstream(path) << "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:f\r\nDTSTART:20260305T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  auto s = make("file:" + path);
  s->start(at("2026-03-01T10:00Z"));
  EXPECT_EQ(fetch(*s, at("2026-03-01T10:00Z")).last_error, "");
  EXPECT_EQ(s->catalogue().events.size(), 1u);
  std::ofstream(path) << "not a calendar";
  auto h = fetch(*s, s->next_deadline(at("2026-03-01T10:00Z")));
  EXPECT_NE(h.last_error.find("does not parse"), std::string::npos) << h.last_error;
  EXPECT_EQ(s->catalogue().events.size(), 1u);
}

}  // namespace
}  // namespace branchcast
