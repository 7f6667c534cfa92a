#include "appliance/appliance.h"

#include <algorithm>

#include "appliance/clock_gated_schedules.h"
#include "appliance/config_change.h"
#include "appliance/feed_pictures.h"
#include "appliance/nearby_prompts.h"
#include "appliance/screen_inputs.h"
#include "appliance/tv_power_wiring.h"
#include "ble/address_hasher.h"
#include "ble/ble_station.h"
#include "ble/eid.h"
#include "ble/radio.h"
#include "common/stop_deadline.h"
#include "common/worker_thread.h"
#include "config/loader.h"
#include "feeds/feed_service.h"
#include "media/screen_runner.h"
#include "notify/mqtt.h"
#include "recommend/model.h"
#include "recommend/picks.h"
#include "recommend/ranker.h"
#include "scheduler/conditions.h"
#include "scheduler/inputs.h"
#include "services/cec_power.h"
#include "services/clock_probe.h"
#include "services/daemon_services.h"
#include "services/fleet_telemetry.h"
#include "store/database.h"
#include "store/feed_cache_repository.h"
#include "store/presence_repository.h"

namespace branchcast {
namespace {

// The patrons file's path ("" without one), as the config reloader watches it.
std::string patrons_path(const ApplianceSettings& s) {
  if (!s.notifications.patrons || s.notifications.patrons->rfind("file:", 0) != 0) return "";
  return s.notifications.patrons->substr(5);
}

// The clock probe when DaemonServices did not start (its health port was refused; DaemonServices
// probes otherwise): every 5 s until the clock is synchronised, then never again; a clock step
// probes at once.
class FallbackClockProbe final : public Ticker {
 public:
  FallbackClockProbe(std::function<bool()> synchronized, std::function<void(TimePoint)> on_synchronized, bool done)
      : synchronized_(std::move(synchronized)), on_synchronized_(std::move(on_synchronized)), done_(done) {}
  TimePoint next_deadline(TimePoint) const override { return done_ ? TimePoint::max() : next_; }
  void tick(const Turn& turn) override {
    if (done_ || turn.now < next_) return;
    next_ = turn.now + std::chrono::seconds(5);
    if (!synchronized_()) return;
    done_ = true;
    on_synchronized_(turn.now);
  }
  void clock_stepped(Duration, const Turn& turn) override { next_ = turn.now; }

 private:
  std::function<bool()> synchronized_;
  std::function<void(TimePoint)> on_synchronized_;
  bool done_;
  TimePoint next_{};
};

}  // namespace

// The components, each optional (off, or its adapter failed to open). Members are destroyed in
// reverse order: the workers first (declared last), then what their jobs used.
struct Appliance::Parts {
  explicit Parts(bool trusted) : schedules(trusted) {}
  ClockGatedSchedules schedules;
  TimeZone zone = TimeZone::utc();
  bool clock_synced_at_start = false;
  bool presence_reported = false;  // the station has reported a level (health shows presence)
  std::string db_path;             // for the outbox's own connection (NearbyPrompts' worker)
  // The screens' video length prober (from their full inputs), for inputs rebuilt on a reload.
  std::function<std::optional<Duration>(const PlaylistItem&)> media_length;

  std::unique_ptr<NearbyPrompts> nearby;
  std::unique_ptr<ble::EidResolver> resolver;
  std::unique_ptr<DaemonServices> services;
  std::unique_ptr<FeedCacheRepository> cache;
  std::unique_ptr<FeedService> feeds;
  std::unique_ptr<FeedPictures> pictures;  // feed pictures for cards (own worker, no posts)
  std::unique_ptr<ble::AddressHasher> hasher;
  std::unique_ptr<ble::BleRadio> radio;
  std::unique_ptr<PresenceRepository> presence_repo;
  std::unique_ptr<ble::BleStation> station;
  std::unique_ptr<FleetTelemetry> telemetry;
  std::unique_ptr<TvPowerWiring> tv;
  std::unique_ptr<WorkerThread> worker;        // fetches; joined first
  std::unique_ptr<WorkerThread> model_worker;  // recommender refreshes
  std::unique_ptr<WorkerThread> cec_worker;    // CEC ioctls; joined before tv goes
  std::unique_ptr<FallbackClockProbe> clock_probe;  // only without DaemonServices
  // Every component with deadlines (each a Ticker itself), in tick order. Not owned.
  std::vector<Ticker*> tickers;
};

Appliance::Appliance(const ApplianceSettings& settings, const Clock& clock, LogSink& sink, DaemonOptions options,
                     AppliancePorts ports)
    : settings_(settings), clock_(clock), sink_(sink), log_(sink, "daemon"), options_(std::move(options)),
      ports_(std::move(ports)), alive_(std::make_shared<bool>(true)) {
  bool synced = clock_synchronized(options_.system_root, options_.kernel_clock_state);
  parts_ = std::make_unique<Parts>(synced || !options_.require_synced_clock);
  parts_->clock_synced_at_start = synced;
  parts_->zone = TimeZone::load_or_utc(settings.branch.timezone);
  parts_->db_path = ports_.db_status.storage == StateStorage::kMemory ? ":memory:" : ports_.db_status.path;
  if (options_.state_dir.empty()) options_.state_dir = default_state_dir();
  for (const auto& s : settings.screens) screen_health_.emplace_back().id = s.id;
}

Appliance::~Appliance() {
  *alive_ = false;
  stop();
  StopDeadline bound(options_.stop_bound, 0, log_);
  parts_->worker.reset();  // joined before the feed service goes (the HTTP client is the caller's)
  parts_->model_worker.reset();
  parts_.reset();  // the prompts' outbox worker, the services' config worker, the pictures' worker
}

ScheduleInputs Appliance::schedule_inputs(ScheduleInputs full) {
  if (!parts_->media_length) parts_->media_length = full.media_length;
  return parts_->schedules.inputs_for(std::move(full));
}

void Appliance::start(std::vector<ApplianceScreen> screens, Poster post, TimePoint now) {
  screens_ = std::move(screens);
  post_ = std::move(post);
  started_ = now;
  std::vector<Scheduler*> schedulers;
  for (const auto& s : screens_) schedulers.push_back(s.scheduler);
  parts_->schedules.attach(schedulers);
  if (!parts_->schedules.trusted()) log_.warn("system clock not synchronised since boot: default playlists until it is");
  else if (!parts_->clock_synced_at_start)
    log_.warn("system clock not synchronised since boot; trusting it (interactive run; the service waits for a sync)");
  start_services();
  start_feeds(now);
  start_nearby();
  start_ble(now);
  start_tv_power();
  start_telemetry(now);
  add_tickers();
}

// Every component with deadlines is a Ticker (common/ticker.h); a turn ticks them in this order.
// A clock step moves their pending deadlines with the clock (each keeps the wait it had left); the
// fixed-period checks run at once. The screens' schedulers were started again by the loop before.
// The BLE radio is ticked by its station.
void Appliance::add_tickers() {
  Parts& p = *parts_;
  auto add = [&p](Ticker* t) {
    if (t) p.tickers.push_back(t);
  };
  add(p.feeds.get());
  add(p.station.get());
  add(p.nearby.get());  // the outbox: sends, retries, answers
  add(p.services.get());
  add(p.tv.get());
  if (!p.services) {  // no DaemonServices (health port refused): the clock probe runs here
    p.clock_probe = std::make_unique<FallbackClockProbe>(
        [root = options_.system_root, kernel = options_.kernel_clock_state] { return clock_synchronized(root, kernel); },
        [this](TimePoint now) { on_clock_trusted(now); }, p.schedules.trusted());
    add(p.clock_probe.get());
  }
  add(p.telemetry.get());
}

void Appliance::stop() {
  if (stopped_) return;
  stopped_ = true;
  StopDeadline bound(options_.stop_bound, 0, log_);
  Parts& p = *parts_;
  p.telemetry.reset();  // joins its worker while the loop it posts to still exists
  if (p.station) p.station->stop();
  p.cec_worker.reset();  // joins the CEC worker while the loop its results go to still exists
  p.tv.reset();
  if (p.services) p.services->stopping();
}

void Appliance::start_services() {
  DaemonServicesOptions options;
  options.state_dir = options_.state_dir;
  options.health.listen = settings_.health.listen;
  options.loader = load_appliance;
  options.system_root = options_.system_root;
  options.kernel_clock_state = options_.kernel_clock_state;
  options.watch_config = options_.watch_config;
  DaemonServicesCallbacks callbacks;
  callbacks.override_changed = [this](const std::optional<Override>& o) { on_override(o, clock_.now()); };
  callbacks.config_changed = [this](const ApplianceSettings& next, const std::vector<std::string>& changed) {
    on_config_changed(next, changed);
  };
  callbacks.clock_trusted = [this] { on_clock_trusted(clock_.now()); };
  callbacks.fill_health = [this](HealthSnapshot& h, TimePoint now) { fill_health(h, now); };
  callbacks.wake = [this] {
    if (post_) post_([] {});  // the loop turns at once: the services' ticker is due
  };
  auto services = DaemonServices::start(settings_, ports_.db, ports_.loop, clock_, sink_, options, callbacks);
  if (!services) {
    log_.warn("health and watchdog services unavailable: " + services.error().message);
    return;
  }
  parts_->services = std::move(*services);
}

void Appliance::start_feeds(TimePoint now) {
  if (settings_.feeds.empty()) return;
  if (!ports_.http) {
    log_.error("feeds off: no HTTP client");
    return;
  }
  auto cache = FeedCacheRepository::open(ports_.db);
  if (!cache) {
    log_.error("feed cache unavailable: " + cache.error().message);
    return;
  }
  Parts& p = *parts_;
  p.cache = std::move(*cache);
  // A fair queue with a thread per feed (at most 4): a slow feed never delays another.
  p.worker = std::make_unique<WorkerThread>(std::min<size_t>(settings_.feeds.size(), 4));
  FeedServiceOptions options;
  options.zone = p.zone;
  WorkerThread* worker = p.worker.get();
  p.feeds = std::make_unique<FeedService>(
      settings_.feeds, options, *ports_.http, *p.cache,
      [worker](std::function<void()> job) { worker->submit(std::move(job)); }, post_, Logger(sink_, "feeds"));
  p.feeds->subscribe([this](const Catalogue& c) { on_catalogue(c); });
  p.pictures = FeedPictures::start(options_.state_dir, *ports_.http, sink_);
  p.feeds->subscribe([this](const Catalogue& c) { parts_->pictures->on_catalogue(c, clock_.now()); });
  p.feeds->start(now);
}

void Appliance::start_nearby() {
  const NotificationSettings& n = settings_.notifications;
  if (!n.patrons && !n.nearby_topic) return;
  if (!ports_.http) {
    log_.error("nearby prompts off: no HTTP client");
    return;
  }
  auto nearby = NearbyPrompts::start(settings_, parts_->db_path, sink_, {*ports_.http, ports_.open_mqtt});
  if (!nearby) {
    log_.error("nearby prompts off: " + nearby.error().to_string());
    return;
  }
  parts_->nearby = std::move(*nearby);
  auto enrolled = parts_->nearby->enrollments();
  if (!enrolled.empty()) parts_->resolver = std::make_unique<ble::EidResolver>(std::move(enrolled));
}

void Appliance::start_ble(TimePoint now) {
  if (!settings_.beacon.enabled && !settings_.presence.enabled) return;
  Parts& p = *parts_;
  p.hasher = std::make_unique<ble::AddressHasher>(settings_.presence.window);
  if (!ports_.open_radio) {
    log_.warn("Bluetooth unavailable (the screens play on): no radio");
    return;
  }
  auto radio = ports_.open_radio(*p.hasher);
  if (!radio) {
    log_.warn("Bluetooth unavailable (the screens play on): " + radio.error().message);
    return;
  }
  p.radio = std::move(*radio);
  if (settings_.presence.enabled) {
    auto repo = PresenceRepository::open(ports_.db);
    if (repo) p.presence_repo = std::make_unique<PresenceRepository>(std::move(*repo));
    else log_.error("presence counts will not be stored: " + repo.error().message);
  }
  p.station = std::make_unique<ble::BleStation>(
      settings_, *p.radio, Logger(sink_, "ble"),
      [this](const PresencePeriod& period) {
        if (!parts_->presence_repo) return;
        if (auto st = parts_->presence_repo->record(period); !st)
          log_.error("presence period not stored: " + st.error().message);
      },
      p.resolver.get(), [this](size_t patron, TimePoint at) { on_patron(patron, at); });
  p.station->on_level([this](PresenceLevel level, TimePoint at) { on_presence(level, at); });
  p.station->start(now);
}

// HDMI-CEC for the screens with `power:` (appliance/tv_power_wiring.h).
void Appliance::start_tv_power() {
  std::vector<TvPowerWiring::Screen> screens;
  for (size_t i = 0; i < settings_.screens.size() && i < screens_.size(); ++i)
    if (settings_.screens[i].power) screens.push_back({settings_.screens[i].id, i});
  if (screens.empty() || !ports_.open_cec) return;
  Parts& p = *parts_;
  p.cec_worker = std::make_unique<WorkerThread>();
  WorkerThread* worker = p.cec_worker.get();
  p.tv = std::make_unique<TvPowerWiring>(
      std::move(screens), ports_.open_cec, [worker](std::function<void()> job) { worker->submit(std::move(job)); },
      post_, Logger(sink_, "tv"));
  p.tv->check_wanted([this](size_t hdmi, TimePoint at) {
    const Scheduler& s = *screens_[hdmi].scheduler;
    return s.awake_at(at) || s.showing().mode == ShowingMode::kOverride;
  });
}

// Fleet telemetry (telemetry.mqtt): heartbeats, proof of play and presence periods to MQTT.
void Appliance::start_telemetry(TimePoint now) {
  if (!settings_.telemetry.mqtt) return;
  if (!ports_.open_mqtt) {
    log_.error("fleet telemetry off: no MQTT client");
    return;
  }
  FleetTelemetryOptions options;
  options.version = BRANCHCAST_VERSION;
  auto telemetry = FleetTelemetry::start(settings_, ports_.db, ports_.open_mqtt(), post_, sink_, std::move(options), now);
  if (!telemetry) {
    log_.error("fleet telemetry off: " + telemetry.error().message);
    return;
  }
  parts_->telemetry = std::move(*telemetry);
  parts_->telemetry->health_from([this](TimePoint at) { return health(at); });
}

// ---- time ---------------------------------------------------------------------------------------

TimePoint Appliance::next_deadline(TimePoint now) const {
  TimePoint due = TimePoint::max();
  for (const auto& t : parts_->tickers) due = std::min(due, t->next_deadline(now));
  return due;
}

void Appliance::tick(const Turn& turn) {
  for (const auto& t : parts_->tickers)
    if (t->next_deadline(turn.now) <= turn.now) t->tick(turn);
}

void Appliance::clock_stepped(Duration step, const Turn& turn) {
  for (const auto& t : parts_->tickers) t->clock_stepped(step, turn);
}

// ---- events -------------------------------------------------------------------------------------

// One published catalogue, shared (issue 13, memory): every screen's scheduler holds its events and
// the recommender's worker reads it, none copies it.
void Appliance::on_catalogue(const Catalogue& catalogue) {
  TimePoint now = clock_.now();
  Parts& p = *parts_;
  std::shared_ptr<const Catalogue> shared = p.feeds ? p.feeds->shared_catalogue() : nullptr;
  if (!shared || shared.get() != &catalogue) shared = std::make_shared<const Catalogue>(catalogue);
  std::shared_ptr<const std::vector<CatalogueEvent>> events(shared, &shared->events);
  for (auto& s : screens_) s.scheduler->set_shared_events(events, now);
  // The recommender's model is rebuilt off the loop; the rankings come back to it.
  if (!p.model_worker) p.model_worker = std::make_unique<WorkerThread>();  // not behind slow fetches
  p.model_worker->submit([this, alive = alive_, shared, now, post = post_, branch = applied().branch, zone = p.zone] {
    auto model = std::make_shared<RecommenderModel>(
        build_model(*shared, now, {}, closed_branch_event_test(shared->events, branch, zone)));
    post([this, alive, model] {
      if (*alive) on_model(model);
    });
  });
}

void Appliance::on_model(std::shared_ptr<const RecommenderModel> model) {
  model_ = std::move(model);
  TimePoint now = clock_.now();
  const ApplianceSettings& settings = applied();
  for (size_t i = 0; i < screens_.size() && i < settings.screens.size(); ++i)
    screens_[i].scheduler->set_recommendations(
        screen_picks(*model_, settings.screens[i], presence_level_, now, parts_->zone), now);
}

void Appliance::on_presence(PresenceLevel level, TimePoint now) {
  Parts& p = *parts_;
  p.presence_reported = true;
  if (p.nearby && p.feeds) p.nearby->presence(level, p.feeds->catalogue().events, now);
  if (level == presence_level_) return;
  presence_level_ = level;
  for (auto& s : screens_) s.scheduler->set_presence(level, now);
}

void Appliance::on_patron(size_t patron, TimePoint at) {
  if (parts_->nearby) parts_->nearby->patron_seen(patron, at, model_);
}

void Appliance::on_override(const std::optional<Override>& o, TimePoint now) {
  for (auto& s : screens_) s.scheduler->set_override(o, now);
}

void Appliance::on_clock_trusted(TimePoint now) {
  if (parts_->schedules.trust(now)) log_.info("system clock synchronised: schedules restart with their rules");
}

// Loop thread. The settings were loaded and validated on the config worker; here they are only
// compared and copied into each screen's inputs (no parsing).
void Appliance::on_config_changed(const ApplianceSettings& next, const std::vector<std::string>& changed_files) {
  const TimePoint now = clock_.now();
  const MonoTime began = clock_.monotonic();
  std::string why = restart_reason(applied(), next);
  const std::string patrons = patrons_path(next);
  if (why.empty() && !patrons.empty() &&
      std::find(changed_files.begin(), changed_files.end(), patrons) != changed_files.end())
    why = "the patrons file changed";
  std::vector<ScheduleInputs> inputs;
  for (size_t i = 0; why.empty() && i < next.screens.size(); ++i) {
    auto in = schedule_inputs_for_screen(next, next.screens[i].id);
    if (!in) why = in.error().message;
    else {
      in->media_length = parts_->media_length;
      inputs.push_back(std::move(*in));
    }
  }
  if (!why.empty() || screens_.size() != next.screens.size()) {
    log_.info("configuration changed and valid: " + (why.empty() ? std::string("screens not started") : why) +
              ": the screens restart with it");
    next_settings_ = next;
    run_again_ = true;
    ports_.loop.quit();
    return;
  }
  applied_ = std::make_unique<const ApplianceSettings>(next);
  parts_->schedules.update(std::move(inputs), now);
  if (model_) on_model(model_);  // the screens' audiences may have changed
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.monotonic() - began).count();
  log_.info("configuration changed and valid: applied to the screens in " + std::to_string(took) +
            " ms on the loop (the item on screen plays on)");
  if (post_) post_([] {});  // a turn now: the screens preroll what follows
}

void Appliance::on_item_started(const std::string& screen_id, const Showing& showing, const ScreenStats& stats) {
  ScreenHealth* screen = screen_health(screen_id);
  if (!screen) return;
  screen->mode = showing.mode == ShowingMode::kStandby    ? "standby"
                 : showing.mode == ShowingMode::kOverride ? "override"
                                                          : "item";
  screen->rule = showing.rule;
  screen->kind = to_string(showing.kind);
  screen->item = showing.ref;
  screen->item_started = showing.start;
  screen->transitions = static_cast<uint64_t>(stats.transitions);
  screen->max_gap_ms = stats.max_gap_ms;
  screen->error.reset();  // a later item plays
}

void Appliance::on_item_failed(const std::string& screen_id, const std::string& error) {
  if (ScreenHealth* screen = screen_health(screen_id)) screen->error = error;  // cleared by on_item_started
}

void Appliance::on_first_frame() {
  first_frame_ = true;
  if (parts_->services) parts_->services->first_frame_presented();
}

void Appliance::on_display_missing() { no_display_ = true; }
void Appliance::on_display_found() { run_again_ = true; }

void Appliance::on_proof_of_play_kept(size_t pending, uint64_t dropped) {
  proof_of_play_pending_ = pending;
  proof_of_play_dropped_ = dropped;
}

// ---- health -------------------------------------------------------------------------------------

ScreenHealth* Appliance::screen_health(const std::string& id) {
  for (auto& screen : screen_health_)
    if (screen.id == id) return &screen;
  return nullptr;
}

void Appliance::fill_health(HealthSnapshot& h, TimePoint now) const {
  const Parts& p = *parts_;
  h.no_display = no_display_;
  h.screens = screen_health_;
  for (size_t i = 0; i < h.screens.size(); ++i) {
    ScreenHealth& s = h.screens[i];
    if (i < screens_.size()) s.awake_by_plan = screens_[i].scheduler->awake_at(now);
    // A presented item stays on screen until the next (the snapshot is asked for on the loop
    // thread: a stalled loop answers nothing at all).
    if (s.item_started) s.last_presented = now;
  }
  if (p.tv) {  // HDMI-CEC: whether the TV obeys; in standby, whether a black picture stands in
    for (size_t k = 0; k < p.tv->size(); ++k) {
      const size_t i = p.tv->screen(k).hdmi;
      if (i >= h.screens.size() || i >= screens_.size()) continue;
      h.screens[i].tv_obeyed = p.tv->tv_obeyed(k);
      if (screens_[i].scheduler->showing().mode == ShowingMode::kStandby)
        h.screens[i].mode = p.tv->fallback_mode(k).empty() ? "standby" : "black";
    }
  }
  if (p.feeds) {
    h.feeds.clear();
    for (const auto& f : p.feeds->health(now)) {
      FeedHealthLine line;
      line.id = f.id;
      line.last_success = f.last_success;
      line.last_attempt_failed = !f.last_error.empty();
      h.feeds.push_back(line);
    }
  }
  if (settings_.presence.enabled || p.presence_reported) h.presence = presence_level_;
  if (p.telemetry) {
    h.telemetry_buffered = p.telemetry->buffer().depth;
    h.telemetry_dropped = p.telemetry->buffer().dropped_total;
  }
  h.storage_problem = ports_.db_status.summary();
  h.config_problem = options_.config_problem;
  h.storage_in_memory = ports_.db_status.storage == StateStorage::kMemory;
  h.proof_of_play_pending = static_cast<int64_t>(proof_of_play_pending_);
  h.proof_of_play_dropped = static_cast<int64_t>(proof_of_play_dropped_);
}

HealthSnapshot Appliance::health(TimePoint now) const {
  if (parts_->services) return parts_->services->health(now);
  HealthSnapshot h;  // no services (health port refused): what telemetry's heartbeats carry
  h.started = started_;
  h.first_frame = first_frame_;
  h.clock_trusted = parts_->schedules.trusted();
  for (const auto& f : settings_.feeds) h.feeds.emplace_back().id = f.id;
  fill_health(h, now);
  return h;
}

uint16_t Appliance::health_port() const { return parts_->services ? parts_->services->health_port() : 0; }

}  // namespace branchcast
