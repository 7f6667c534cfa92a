#include "feeds/feed_service.h"

#include <mutex>

#include <malloc.h>

#include <algorithm>

#include "feeds/feed_parser.h"
#include "common/clock_step.h"
#include "common/strings.h"
#include "feeds/feed_source.h"

namespace branchcast {

struct FeedService::State {
  FeedSettings settings;
  std::optional<CachedFeed> cached;     // last good body (mirrors the FeedCache row)
  Catalogue catalogue;                  // parsed from `cached`
  TimePoint next_attempt{};
  Duration backoff{0};
  bool fetching = false;
  Duration stepped_while_fetching{0};  // clock steps since the fetch in flight started
  std::optional<TimePoint> last_success;
  std::string last_error;
  std::optional<TimePoint> last_error_at;
};

// What a worker job hands back to the loop.
struct FeedService::Outcome {
  TimePoint started{};
  std::optional<std::string> error;     // transport, HTTP status or parse failure
  std::optional<Duration> retry_after;  // 429/503 Retry-After: the server's wait, honoured
  bool not_modified = false;
  std::optional<CachedFeed> fresh;      // a new good body (200 that parsed)
  std::optional<Catalogue> catalogue;   // parsed result for the body now current
};

namespace {

FeedParseOptions parse_options(const FeedSettings& f, const FeedServiceOptions& o, TimePoint now,
                               const std::string& charset) {
  FeedParseOptions p;
  p.feed_id = f.id;
  p.source = f.id + " (" + display_source(f.url) + ")";
  p.base_url = f.url;
  p.charset = charset;
  p.default_zone = o.zone;
  p.window_start = now - o.window_before;
  p.window_end = now + o.window_after;
  p.max_bytes = f.max_bytes;
  return p;
}

// One parse at a time in the process, whatever the number of fetch threads (issue 13, memory
// budget): a parse's transient memory (the libical/libxml2/JSON tree, several times the body) is
// never held by two feeds at once. Fetches still run side by side, and a parse is bounded in
// size and work (feed_parser.h), so a slow server still never delays another feed.
std::mutex& parse_slot() {
  static std::mutex mu;
  return mu;
}

Result<Catalogue> parse_body(const FeedSettings& f, const FeedServiceOptions& o, TimePoint now,
                             const CachedFeed& body) {
  std::lock_guard one_at_a_time(parse_slot());
  auto parsed = parse_feed(f.kind, body.body, parse_options(f, o, now, body.charset));
  if (!parsed) return parsed.error();
  Catalogue c = std::move(parsed->catalogue);
  for (auto& e : c.events) e.feed = f.id;
  for (auto& t : c.titles) t.feed = f.id;
  return c;
}

// "file:line: error: message" for parse errors, the bare message for transport errors.
std::string describe(const Error& e) { return e.where.file.empty() ? e.message : e.to_string(); }

size_t items_of(const Catalogue& c) {
  return c.events.size() + c.titles.size() + c.loan_counts.size() + c.loan_pairs.size();
}

size_t text_of(const std::vector<std::string>& v) {
  size_t n = v.size() * sizeof(std::string);
  for (const auto& s : v) n += s.size();
  return n;
}

}  // namespace

size_t catalogue_bytes(const Catalogue& c) {
  size_t n = c.events.size() * sizeof(CatalogueEvent) + c.titles.size() * sizeof(CatalogueTitle) +
             c.loan_counts.size() * sizeof(LoanCount) + c.loan_pairs.size() * sizeof(LoanPair);
  for (const auto& e : c.events)
    n += e.id.size() + e.uid.size() + e.feed.size() + e.title.size() + e.zone.size() + e.location.size() +
         e.description.size() + e.url.size() + e.image.size() + e.audience.size() + text_of(e.tags) +
         text_of(e.authors) + text_of(e.people) + text_of(e.subjects);
  for (const auto& t : c.titles)
    n += t.id.size() + t.feed.size() + t.kind.size() + t.title.size() + t.description.size() + t.url.size() +
         t.image.size() + t.isbn.size() + t.audience.size() + text_of(t.authors) + text_of(t.subjects) + text_of(t.tags);
  for (const auto& l : c.loan_counts) n += l.title_id.size();
  for (const auto& l : c.loan_pairs) n += l.a.size() + l.b.size();
  return n;
}

std::optional<std::string> FeedService::over_total(const std::string& id, const Catalogue& next) const {
  size_t items = items_of(next), bytes = catalogue_bytes(next);
  for (const auto& [other, s] : states_) {
    if (other == id) continue;
    items += items_of(s->catalogue);
    bytes += catalogue_bytes(s->catalogue);
  }
  if (items > options_.max_total_items)
    return "over the limit of " + std::to_string(options_.max_total_items) + " items across all feeds (" +
           std::to_string(items) + " with this copy's " + std::to_string(items_of(next)) +
           "); the feed is refused whole";
  if (bytes > options_.max_total_bytes)
    return "over the limit of " + std::to_string(options_.max_total_bytes / (1024 * 1024)) +
           " MiB of catalogue across all feeds (" + std::to_string(bytes / (1024 * 1024)) + " MiB with this copy's " +
           std::to_string(catalogue_bytes(next) / (1024 * 1024)) + " MiB); the feed is refused whole";
  return std::nullopt;
}

FeedService::FeedService(std::vector<FeedSettings> feeds, FeedServiceOptions options, HttpClient& http,
                         FeedCache& cache, Executor run_on_worker, Executor post_to_loop, Logger log)
    : feeds_(std::move(feeds)),
      options_(std::move(options)),
      http_(http),
      cache_(cache),
      run_on_worker_(std::move(run_on_worker)),
      post_to_loop_(std::move(post_to_loop)),
      log_(std::move(log)),
      alive_(std::make_shared<bool>(true)) {
  for (const auto& f : feeds_) {
    auto s = std::make_unique<State>();
    s->settings = f;
    states_[f.id] = std::move(s);
  }
}

FeedService::~FeedService() { *alive_ = false; }

void FeedService::start(TimePoint now) {
  for (auto& [id, s] : states_) {
    s->next_attempt = now;
    auto cached = cache_.load(id);
    if (!cached) {
      log_.warn("feed '" + id + "': cannot read the cached copy: " + cached.error().message);
      continue;
    }
    if (!*cached || (*cached)->source_key != feed_source_key(s->settings.url)) continue;
    auto c = parse_body(s->settings, options_, now, **cached);
    if (!c) {
      log_.warn("feed '" + id + "': cached copy does not parse: " + c.error().to_string());
      continue;
    }
    if (auto over = over_total(id, *c)) {
      log_.warn("feed '" + id + "': cached copy " + *over);
      continue;
    }
    s->cached = std::move(**cached);
    s->catalogue = std::move(*c);
    s->last_success = s->cached->fetched_at;
    log_.info("feed '" + id + "': serving the cached copy (" + std::to_string(items_of(s->catalogue)) + " items)");
  }
  publish();
}

TimePoint FeedService::next_deadline(TimePoint) const {
  TimePoint best = TimePoint::max();
  for (const auto& [id, s] : states_)
    if (!s->fetching) best = std::min(best, s->next_attempt);
  return best;
}

void FeedService::tick(const Turn& turn) {
  const TimePoint now = turn.now;
  for (auto& [id, s] : states_)
    if (!s->fetching && s->next_attempt <= now) launch(*s, now);
}

void FeedService::clock_stepped(Duration step, const Turn&) {
  for (auto& [id, s] : states_) {
    if (s->fetching) s->stepped_while_fetching += step;
    else s->next_attempt = shift_deadline(s->next_attempt, step);
  }
}

void FeedService::launch(State& s, TimePoint now) {
  s.fetching = true;
  HttpRequest req;
  req.connect_timeout = options_.connect_timeout;
  req.total_timeout = options_.total_timeout;
  req.low_speed_bytes = options_.low_speed_bytes;
  req.low_speed_time = options_.low_speed_time;
  req.max_redirects = options_.max_redirects;
  req.max_bytes = s.settings.max_bytes;
  std::optional<CachedFeed> cached = s.cached;
  if (cached) {
    req.etag = cached->etag;
    req.last_modified = cached->last_modified;
  }
  FeedSettings settings = s.settings;
  FeedServiceOptions options = options_;
  HttpClient* http = &http_;
  std::weak_ptr<bool> alive = alive_;
  Executor post = post_to_loop_;
  FeedService* self = this;
  run_on_worker_([=]() mutable {
    Outcome out;
    out.started = now;
    std::string retry_after;
    auto body = read_feed_source(settings.url, *http, req, &retry_after);
    if (!body) {
      out.error = describe(body.error());
      if (!retry_after.empty()) out.retry_after = parse_retry_after(retry_after, now);
    } else if (body->not_modified && cached) {
      out.not_modified = true;
      auto c = parse_body(settings, options, now, *cached);  // re-parse: the window moved
      if (c) out.catalogue = std::move(*c);
      else out.error = "cached copy does not parse: " + describe(c.error());
    } else {
      CachedFeed fresh;
      fresh.feed_id = settings.id;
      fresh.source_key = feed_source_key(settings.url);
      fresh.body = std::move(body->body);
      fresh.charset = body->charset;
      fresh.etag = body->etag;
      fresh.last_modified = body->last_modified;
      fresh.fetched_at = now;
      auto c = parse_body(settings, options, now, fresh);
      if (c) {
        out.catalogue = std::move(*c);
        out.fresh = std::move(fresh);
      } else {
        out.error = "fetched copy does not parse: " + describe(c.error());
      }
    }
    // The parse's transient memory (libical/libxml2 trees, the body) goes back to the system
    // instead of staying in malloc's free lists (issue 13: one big feed pinned 300-500 MiB).
    ::malloc_trim(0);
    post([alive, self, id = settings.id, out = std::move(out)]() mutable {
      if (auto a = alive.lock(); a && *a) self->finish(id, std::move(out));
    });
  });
}

void FeedService::finish(const std::string& id, Outcome out) {
  auto it = states_.find(id);
  if (it == states_.end()) return;
  State& s = *it->second;
  s.fetching = false;
  if (!out.error && out.catalogue) {
    if (auto over = over_total(id, *out.catalogue)) {
      out.error = (out.not_modified ? "cached copy " : "fetched copy ") + *over;
      out.catalogue.reset();
      out.fresh.reset();
    }
  }
  const TimePoint started = out.started + s.stepped_while_fetching;  // on today's clock
  s.stepped_while_fetching = Duration(0);
  if (out.error) {
    s.last_error = *out.error;
    s.last_error_at = out.started;
    s.backoff = s.backoff.count() == 0 ? options_.first_retry : std::min(s.backoff * 2, s.settings.refresh);
    s.backoff = std::min(s.backoff, s.settings.refresh);
    s.next_attempt = started + s.backoff;
    if (out.retry_after && *out.retry_after > s.backoff) {
      s.next_attempt = started + *out.retry_after;
      *out.error += "; the server asked to retry after " +
                    std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*out.retry_after).count()) + " s";
      s.last_error = *out.error;
    }
    if (auto st = cache_.record_failure(id, out.started, *out.error); !st)
      log_.warn("feed '" + id + "': cannot record the failure: " + st.error().message);
    std::string keep = s.cached ? "; keeping the copy of " + TimeZone::utc().format_iso(s.cached->fetched_at)
                                : "; no earlier copy";
    log_.warn("feed '" + id + "': " + *out.error + keep);
    return;
  }
  s.backoff = Duration(0);
  s.last_error.clear();
  s.last_error_at.reset();
  s.last_success = out.started;
  s.next_attempt = started + s.settings.refresh;
  if (out.fresh) {
    if (auto st = cache_.store(*out.fresh); !st)
      log_.warn("feed '" + id + "': cannot store the fetched copy: " + st.error().message);
    s.cached = std::move(out.fresh);
  } else if (out.not_modified && s.cached) {
    s.cached->fetched_at = out.started;
    if (auto st = cache_.confirm(id, out.started); !st)
      log_.warn("feed '" + id + "': cannot update the cache: " + st.error().message);
  }
  s.catalogue = std::move(*out.catalogue);
  log_.info("feed '" + id + "': " + (out.not_modified ? "not modified" : "updated") + ", " +
            std::to_string(items_of(s.catalogue)) + " items");
  publish();
}

void FeedService::publish() {
  Catalogue m;
  for (const auto& [id, s] : states_) {
    const Catalogue& c = s->catalogue;
    m.events.insert(m.events.end(), c.events.begin(), c.events.end());
    m.titles.insert(m.titles.end(), c.titles.begin(), c.titles.end());
    m.loan_counts.insert(m.loan_counts.end(), c.loan_counts.begin(), c.loan_counts.end());
    m.loan_pairs.insert(m.loan_pairs.end(), c.loan_pairs.begin(), c.loan_pairs.end());
  }
  std::stable_sort(m.events.begin(), m.events.end(),
                   [](const CatalogueEvent& a, const CatalogueEvent& b) { return a.start < b.start; });
  merged_ = std::make_shared<const Catalogue>(std::move(m));
  for (const auto& sub : subscribers_) sub(*merged_);
}

std::vector<FeedHealth> FeedService::health(TimePoint now) const {
  std::vector<FeedHealth> out;
  for (const auto& f : feeds_) {
    const State& s = *states_.at(f.id);
    FeedHealth h;
    h.id = f.id;
    h.kind = f.kind;
    h.last_success = s.last_success;
    h.last_error = s.last_error;
    h.last_error_at = s.last_error_at;
    if (s.last_success) h.age = now - *s.last_success;
    h.items = items_of(s.catalogue);
    h.fetching = s.fetching;
    h.next_attempt = s.next_attempt;
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace branchcast
