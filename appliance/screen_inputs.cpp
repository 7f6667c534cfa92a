#include "appliance/screen_inputs.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>

#include "common/http_client.h"
#include "common/strings.h"
#include "feeds/feed_service.h"
#include "recommend/picks.h"
#include "recommend/ranker.h"
#include "scheduler/conditions.h"
#include "store/database.h"
#include "store/feed_cache_repository.h"

namespace branchcast {
namespace {

// The state database's cached copies, read only: what a fetch would store stays in memory.
class ReadOnlyCache final : public FeedCache {
 public:
  explicit ReadOnlyCache(FeedCache* db) : db_(db) {}
  Result<std::optional<CachedFeed>> load(const std::string& feed_id) override {
    if (auto it = fresh_.find(feed_id); it != fresh_.end()) return std::optional<CachedFeed>(it->second);
    if (!db_) return std::optional<CachedFeed>();
    return db_->load(feed_id);
  }
  Status store(const CachedFeed& feed) override {
    fresh_[feed.feed_id] = feed;
    return {};
  }
  Status confirm(const std::string&, TimePoint) override { return {}; }
  Status record_failure(const std::string&, TimePoint, const std::string&) override { return {}; }
  Result<std::vector<FeedStatus>> statuses() override { return std::vector<FeedStatus>{}; }

 private:
  FeedCache* db_;
  std::map<std::string, CachedFeed> fresh_;
};

// Collects FeedService's log lines as notes (feed ids and causes only: it never logs URLs).
class NoteSink final : public LogSink {
 public:
  explicit NoteSink(std::ostream* notes) : notes_(notes) {}
  void write(LogLevel level, std::string_view, std::string_view message) override {
    if (notes_ && level >= LogLevel::kWarn) *notes_ << "note: " << message << "\n";
  }

 private:
  std::ostream* notes_;
};

bool has_recommended(const PlaylistSettings& p) {
  for (const auto& i : p.default_items)
    if (i.kind == ItemKind::kRecommended) return true;
  for (const auto& r : p.rules)
    for (const auto& i : r.items)
      if (i.kind == ItemKind::kRecommended) return true;
  return false;
}

}  // namespace

std::vector<Recommendation> screen_picks(const RecommenderModel& model, const ScreenSettings& screen,
                                         PresenceLevel presence, TimePoint now, const TimeZone& zone) {
  RecommendedQuery all;
  all.count = 50;
  RankRequest request = screen_request(now, screen, presence);
  request.count = static_cast<size_t>(all.count);  // the scheduler filters by each item's kinds
  return to_recommendations(rank(model, request), all, model, zone);
}

Catalogue load_feeds_as_run(const ApplianceSettings& settings, const TimeZone& zone, TimePoint start,
                            std::ostream* notes) {
  if (settings.feeds.empty()) return {};
  std::unique_ptr<Database> db;
  std::unique_ptr<FeedCacheRepository> repo;
  const std::string db_path = (std::filesystem::path(default_state_dir()) / "branchcast.db").string();
  std::error_code ec;
  if (std::filesystem::exists(db_path, ec)) {
    if (auto opened = Database::open(db_path)) {
      db = std::move(*opened);
      if (auto r = FeedCacheRepository::open(*db)) repo = std::move(*r);
    }
  }
  ReadOnlyCache cache(repo.get());
  auto http = make_curl_http_client();
  NoteSink sink(notes);
  FeedServiceOptions options;
  options.zone = zone;
  auto inline_executor = [](std::function<void()> job) { job(); };
  FeedService service(settings.feeds, options, *http, cache, inline_executor, inline_executor, Logger(sink, "feeds"));
  service.start(start);  // the cached copies
  std::vector<FeedSettings> missing;
  for (const FeedHealth& h : service.health(start))
    if (!h.last_success) {
      for (const auto& f : settings.feeds)
        if (f.id == h.id) missing.push_back(f);
    }
  if (!missing.empty()) {  // fetched now, as `run` fetches them right after starting
    FeedService fetch(missing, options, *http, cache, inline_executor, inline_executor, Logger(sink, "feeds"));
    fetch.start(start);
    fetch.tick(Turn{start, {}});
    Catalogue merged = service.catalogue();
    const Catalogue& got = fetch.catalogue();
    merged.events.insert(merged.events.end(), got.events.begin(), got.events.end());
    merged.titles.insert(merged.titles.end(), got.titles.begin(), got.titles.end());
    merged.loan_counts.insert(merged.loan_counts.end(), got.loan_counts.begin(), got.loan_counts.end());
    merged.loan_pairs.insert(merged.loan_pairs.end(), got.loan_pairs.begin(), got.loan_pairs.end());
    std::stable_sort(merged.events.begin(), merged.events.end(),
                     [](const CatalogueEvent& a, const CatalogueEvent& b) { return a.start < b.start; });
    return merged;
  }
  return service.catalogue();
}

Result<OverrideOption> parse_override_option(const std::string& value, const TimeZone& zone) {
  OverrideOption o;
  o.text = value;
  const size_t at = value.rfind('@');
  if (at != std::string::npos) {
    const std::string range = value.substr(at + 1);
    const size_t dots = range.find("..");
    if (dots != std::string::npos) {
      const std::string a(trim(range.substr(0, dots))), b(trim(range.substr(dots + 2)));
      if (!a.empty()) {
        auto t = zone.parse_iso(a);
        if (!t) return make_error("--override: " + t.error().message);
        o.from = *t;
      }
      if (!b.empty()) {
        auto t = zone.parse_iso(b);
        if (!t) return make_error("--override: " + t.error().message);
        o.until = *t;
      }
      o.text = value.substr(0, at);
    }
  }
  if (trim(o.text).empty()) return make_error("--override: the text is empty");
  if (o.from && o.until && *o.until <= *o.from) return make_error("--override: the end must be after the start");
  return o;
}

SimulatedContext::SimulatedContext(const ApplianceSettings& settings, const ScreenSettings& screen,
                                   const PlaylistSettings& playlist, Catalogue catalogue, SimulationFlags flags,
                                   TimePoint start)
    : screen_(screen),
      branch_(settings.branch),
      zone_(TimeZone::load_or_utc(settings.branch.timezone)),
      catalogue_(std::move(catalogue)),
      flags_(std::move(flags)),
      start_(start),
      has_recommended_(has_recommended(playlist)),
      next_publish_(start),
      override_pending_(flags_.override_.has_value()) {
  for (const auto& f : settings.feeds)
    if (f.refresh.count() > 0) refresh_.push_back(f.refresh);
  if (override_pending_ && flags_.override_->until && *flags_.override_->until <= start) override_pending_ = false;
}

TimePoint SimulatedContext::next_change() const {
  TimePoint t = next_publish_;
  if (!started_) t = std::min(t, start_);
  if (override_pending_) t = std::min(t, std::max(start_, flags_.override_->from.value_or(start_)));
  return t;
}

void SimulatedContext::apply(Scheduler& scheduler, TimePoint t) {
  if (!started_) {
    // What `run` gets right after its screens started: the presence level, the feeds (cached or
    // fetched), then the picks once the model is built.
    started_ = true;
    if (flags_.presence != PresenceLevel::kEmpty) scheduler.set_presence(flags_.presence, t);
    scheduler.set_events(catalogue_.events, t);
  }
  if (next_publish_ <= t) {
    if (has_recommended_) {
      // As run builds it: events on days the branch is closed are not offered (formats.md rule 9).
      RecommenderModel model = build_model(without_closed_branch_events(catalogue_, branch_, zone_), t);
      scheduler.set_recommendations(screen_picks(model, screen_, flags_.presence, t, zone_), t);
      ++rankings_;
    }
    // The next refresh of any feed publishes again (the same data: nothing is fetched twice).
    TimePoint next = TimePoint::max();
    for (Duration r : refresh_) {
      const auto k = (t - start_) / r + 1;
      next = std::min(next, start_ + r * k);
    }
    next_publish_ = has_recommended_ ? next : TimePoint::max();
  }
  if (override_pending_ && std::max(start_, flags_.override_->from.value_or(start_)) <= t) {
    override_pending_ = false;
    scheduler.set_override(Override{flags_.override_->text, flags_.override_->until}, t);
  }
}

}  // namespace branchcast
