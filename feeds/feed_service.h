// FeedService: keeps every configured feed fresh without ever blocking the loop.
//
// A Ticker (common/ticker.h) like every component: next_deadline(now) / tick(turn) on the loop thread.
// A due feed's fetch (conditional GET through the HttpClient port, then parsing) runs through the
// injected `run_on_worker`; the result comes back through `post_to_loop` (EventLoop::post), where
// the cache is updated, the outcome logged and the merged Catalogue published to subscribers.
// A feed that fails keeps serving its last good copy (from SQLite after a restart) and is retried
// with backoff (1 min doubling, at most its refresh interval). Logs name feed ids, hosts and causes,
// never full URLs (they may carry keys).
//
// Threads: every member function on the loop thread. The HttpClient must be safe to call from the
// worker; the worker must be stopped (joined) before the service and the client are destroyed.
// Results posted after the service is gone are ignored.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/log.h"
#include "common/ticker.h"
#include "common/time_zone.h"
#include "config/settings.h"
#include "feeds/catalogue.h"
#include "feeds/feed_cache.h"

namespace branchcast {

struct FeedServiceOptions {
  TimeZone zone = TimeZone::utc();       // the branch's zone: floating times in feeds
  Duration window_before = std::chrono::hours(24);        // events kept from now - this
  Duration window_after = std::chrono::hours(24 * 365);   // ... to now + this
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
  long low_speed_bytes = 64;                 // slower than this for low_speed_time: aborted
  std::chrono::seconds low_speed_time{30};
  int max_redirects = 5;
  Duration first_retry = std::chrono::minutes(1);
  // All feeds together (issue 13, the Zero 2 W memory budget: the catalogue is held per feed and
  // once merged, the merged copy shared by every screen's scheduler and the recommender, plus
  // the recommender's model): a feed whose new copy would take the total over either limit is
  // refused whole, naming the limit, and its last good copy stays. Bytes are estimated
  // (catalogue_bytes) from the items and their text.
  size_t max_total_items = 10'000;
  size_t max_total_bytes = 12 * 1024 * 1024;
};

// An estimate of the memory a catalogue holds: its items plus the text they carry.
size_t catalogue_bytes(const Catalogue& c);

// Per-feed health for `doctor` and /metrics.
struct FeedHealth {
  std::string id;
  FeedKind kind = FeedKind::kIcal;
  std::optional<TimePoint> last_success;   // last fetch (200/304) whose body parsed
  std::string last_error;                  // "" when the last attempt succeeded
  std::optional<TimePoint> last_error_at;
  std::optional<Duration> age;             // now - last_success
  size_t items = 0;                        // events + titles + loan rows currently served
  bool fetching = false;
  TimePoint next_attempt{};
};

class FeedService final : public Ticker {
 public:
  using Executor = std::function<void(std::function<void()>)>;
  using Subscriber = std::function<void(const Catalogue&)>;

  FeedService(std::vector<FeedSettings> feeds, FeedServiceOptions options, HttpClient& http, FeedCache& cache,
              Executor run_on_worker, Executor post_to_loop, Logger log);
  ~FeedService();

  // Loads every feed's cached copy (parsed for `now`) and publishes, so screens have data before
  // the network answers. Every feed is then due at once.
  void start(TimePoint now);
  // Ticker (common/ticker.h). The earliest time a feed is due (TimePoint::max() while all are
  // fetching).
  TimePoint next_deadline(TimePoint now) const override;
  // Starts the fetch of every due feed that is not already fetching.
  void tick(const Turn& turn) override;
  // The wall clock stepped (common/clock_step.h): every feed's next attempt keeps the wait it had
  // left (a fetch in flight: counted from when it started), so a clock set back by hours does not
  // hold the refresh for hours.
  void clock_stepped(Duration step, const Turn& turn) override;

  // Called with the merged catalogue after every change (and once from start()).
  void subscribe(Subscriber s) { subscribers_.push_back(std::move(s)); }
  // All feeds merged: events sorted by start.
  const Catalogue& catalogue() const { return *merged_; }
  // The same, shared (issue 13, memory): the screens' schedulers and the recommender hold this
  // one copy instead of their own; every publish makes a new one, never changes a published one.
  std::shared_ptr<const Catalogue> shared_catalogue() const { return merged_; }
  std::vector<FeedHealth> health(TimePoint now) const;

 private:
  struct State;
  struct Outcome;
  void launch(State& s, TimePoint now);
  void finish(const std::string& id, Outcome outcome);
  void publish();
  // Why `next` as feed `id`'s copy would take all feeds over a total limit, or nullopt.
  std::optional<std::string> over_total(const std::string& id, const Catalogue& next) const;

  std::vector<FeedSettings> feeds_;
  FeedServiceOptions options_;
  HttpClient& http_;
  FeedCache& cache_;
  Executor run_on_worker_;
  Executor post_to_loop_;
  Logger log_;
  std::map<std::string, std::unique_ptr<State>> states_;
  std::vector<Subscriber> subscribers_;
  std::shared_ptr<const Catalogue> merged_ = std::make_shared<const Catalogue>();
  std::shared_ptr<bool> alive_;
};

}  // namespace branchcast
