#include "appliance/appliance_daemon.h"

#include "appliance/clock_gated_schedules.h"
#include "appliance/feed_pictures.h"
#include "appliance/nearby_prompts.h"
#include "appliance/screen_inputs.h"
#include "appliance/tv_power_wiring.h"

#include <filesystem>
#include <memory>

#include "ble/address_hasher.h"
#include "ble/bluez_radio.h"
#include "ble/ble_station.h"
#include "ble/eid.h"
#include "common/http_client.h"
#include "config/loader.h"
#include "feeds/feed_service.h"
#include "common/worker_thread.h"
#include "recommend/model.h"
#include "recommend/picks.h"
#include "recommend/ranker.h"
#include "scheduler/conditions.h"
#include "services/cec_device.h"
#include "services/clock_probe.h"
#include "services/daemon_services.h"
#include "services/fleet_telemetry.h"
#include "store/database.h"
#include "store/state_database.h"
#include "store/feed_cache_repository.h"
#include "store/presence_repository.h"

namespace branchcast {
namespace {

// Everything that runs beside the screens. Loop thread only, except the worker's jobs.
class Daemon {
 public:
  Daemon(const ApplianceSettings& settings, const Clock& clock, LogSink& sink, const DaemonOptions& options)
      : settings_(settings), clock_(clock), sink_(sink), log_(sink, "daemon"), options_(options),
        clock_synced_at_start_(clock_synchronized(options.system_root, options.kernel_clock_state)),
        schedules_(clock_synced_at_start_ || !options.require_synced_clock),
        zone_(TimeZone::load_or_utc(settings.branch.timezone)) {}

  ~Daemon() {
    *alive_ = false;
    stop_tv_power();
    worker_.reset();  // joined before the feed service and the HTTP client go
    model_worker_.reset();
  }

  ScreenLoopHooks hooks() {
    ScreenLoopHooks h;
    h.schedule_inputs = [this](const std::string&, ScheduleInputs full) { return schedules_.inputs_for(std::move(full)); };
    h.item_failed = [this](const std::string& screen, const std::string& error) {
      if (ScreenHealth* health = screen_health(screen)) health->error = error;  // cleared by item_started
    };
    h.started = [this](EventLoop& loop, const Poster& post, const std::vector<Scheduler*>& schedulers, TimePoint now) {
      post_ = post;
      start(loop, schedulers, now);
    };
    h.frame = [this](TimePoint now) { frame(now); };
    h.next_deadline = [this](TimePoint now) { return next_deadline(now); };
    h.clock_stepped = [this](Duration step, TimePoint now) { clock_stepped(step, now); };
    h.item_started = [this](const std::string& screen, const Showing& showing, const ScreenStats& stats) {
      item_started(screen, showing, stats);
    };
    h.display_missing = [this] {
      no_display_ = true;
      if (services_) services_->health().no_display = true;
    };
    h.display_found = [this] { run_again_ = true; };
    h.first_frame = [this] {
      if (services_) services_->first_frame_presented();
    };
    h.state_database = [this](const StateDatabaseStatus& status) { storage_ = status; };
    h.proof_of_play_kept = [this](size_t pending, uint64_t dropped) {
      proof_of_play_pending_ = pending;
      proof_of_play_dropped_ = dropped;
      update_storage_health();
    };
    h.stopping = [this] {
      telemetry_.reset();  // joins its worker while the loop it posts to still exists
      if (station_) station_->stop();
      stop_tv_power();  // joins the CEC worker while the loop its results go to still exists
      if (services_) services_->stopping();
    };
    return h;
  }

  bool run_again() const { return run_again_; }

 private:
  void start(EventLoop& loop, const std::vector<Scheduler*>& schedulers, TimePoint now) {
    loop_ = &loop;
    schedulers_ = schedulers;
    schedules_.attach(schedulers);
    if (!schedules_.trusted()) log_.warn("system clock not synchronised since boot: default playlists until it is");
    else if (!clock_synced_at_start_)
      log_.warn("system clock not synchronised since boot; trusting it (interactive run; the service waits for a sync)");
    std::string state = default_state_dir();
    // The screens' loop opened (and if need be repaired) the same database first; this second
    // connection sees what it left. Its status wins when it had to do something.
    StateDatabase opened = open_state_database(state, now);
    db_ = std::move(opened.db);
    if (!storage_.degraded()) storage_ = opened.status;
    if (opened.status.degraded() && opened.status.reason != storage_.reason) log_.error(opened.status.summary());
    db_path_ = opened.status.storage == StateStorage::kMemory ? ":memory:" : opened.status.path;
    start_services(loop, state);
    update_storage_health();
    start_feeds(now);
    start_nearby();
    start_ble(now);
    start_tv_power();
    start_telemetry(now);
  }

  // HDMI-CEC for the screens with `power:` (appliance/tv_power_wiring.h).
  void start_tv_power() {
    std::vector<TvPowerWiring::Screen> screens;
    for (size_t i = 0; i < settings_.screens.size() && i < schedulers_.size(); ++i)
      if (settings_.screens[i].power) screens.push_back({settings_.screens[i].id, i});
    if (screens.empty()) return;
    cec_worker_ = std::make_unique<WorkerThread>();
    WorkerThread* worker = cec_worker_.get();
    tv_ = std::make_unique<TvPowerWiring>(
        std::move(screens),
        [dir = options_.cec_dir](size_t hdmi) -> Result<std::unique_ptr<CecPort>> {
          auto device = CecDevice::open(dir + "/cec" + std::to_string(hdmi));
          if (!device) return device.error();
          return std::unique_ptr<CecPort>(std::move(*device));
        },
        [worker](std::function<void()> job) { worker->submit(std::move(job)); }, post_, Logger(sink_, "tv"));
  }

  void stop_tv_power() {
    cec_worker_.reset();
    tv_.reset();
  }

  // Once a second: what each TV should be, and the health snapshot's view of it.
  void tv_power(TimePoint now) {
    if (now >= next_power_check_) {
      next_power_check_ = now + std::chrono::seconds(1);
      for (size_t k = 0; k < tv_->size(); ++k) {
        const Scheduler& s = *schedulers_[tv_->screen(k).hdmi];
        tv_->set_wanted(k, s.awake_at(now) || s.showing().mode == ShowingMode::kOverride, now);
        if (ScreenHealth* h = screen_health(tv_->screen(k).id)) {
          h->tv_obeyed = tv_->tv_obeyed(k);
          if (s.showing().mode == ShowingMode::kStandby) h->mode = tv_->fallback_mode(k).empty() ? "standby" : "black";
        }
      }
    }
    if (now >= tv_->next_deadline()) tv_->tick(now);
  }

  void update_storage_health() {
    if (!services_) return;
    HealthSnapshot& h = services_->health();
    h.storage_problem = storage_.summary();
    h.config_problem = options_.config_problem;
    h.storage_in_memory = storage_.storage == StateStorage::kMemory;
    h.proof_of_play_pending = static_cast<int64_t>(proof_of_play_pending_);
    h.proof_of_play_dropped = static_cast<int64_t>(proof_of_play_dropped_);
  }

  ScreenHealth* screen_health(const std::string& id) {
    if (!services_) return nullptr;
    for (auto& screen : services_->health().screens)
      if (screen.id == id) return &screen;
    return nullptr;
  }

  // Fleet telemetry (telemetry.mqtt): heartbeats, proof of play and presence periods to MQTT.
  void start_telemetry(TimePoint now) {
    if (!settings_.telemetry.mqtt) return;
    FleetTelemetryOptions options;
    options.version = BRANCHCAST_VERSION;
    telemetry_health_.started = now;
    auto telemetry = FleetTelemetry::start(settings_, *db_, make_mosquitto_publisher(), post_, sink_,
                                           std::move(options), now);
    if (!telemetry) {
      log_.error("fleet telemetry off: " + telemetry.error().message);
      return;
    }
    telemetry_ = std::move(*telemetry);
  }

  void tick_telemetry(TimePoint now) {
    telemetry_->tick(now, services_ ? services_->health() : telemetry_health_);
    if (!services_) return;
    services_->health().telemetry_buffered = telemetry_->buffer().depth;
    services_->health().telemetry_dropped = telemetry_->buffer().dropped_total;
  }

  void start_nearby() {
    const NotificationSettings& n = settings_.notifications;
    if (!n.patrons && !n.nearby_topic) return;
    auto nearby = NearbyPrompts::start(settings_, db_path_, sink_);
    if (!nearby) {
      log_.error("nearby prompts off: " + nearby.error().to_string());
      return;
    }
    nearby_ = std::move(*nearby);
    auto enrolled = nearby_->enrollments();
    if (!enrolled.empty()) resolver_ = std::make_unique<ble::EidResolver>(std::move(enrolled));
  }

  void start_services(EventLoop& loop, const std::string& state) {
    DaemonServicesOptions options;
    options.state_dir = state;
    options.health.listen = settings_.health.listen;
    options.loader = load_appliance;
    options.system_root = options_.system_root;
    options.kernel_clock_state = options_.kernel_clock_state;
    DaemonServicesCallbacks callbacks;
    callbacks.override_changed = [this](const std::optional<Override>& o) {
      for (Scheduler* s : schedulers_) s->set_override(o, clock_.now());
    };
    callbacks.config_changed = [this](const ApplianceSettings&) {
      log_.info("configuration changed and valid: applying it");
      run_again_ = true;
      loop_->quit();
    };
    callbacks.clock_trusted = [this] {
      if (schedules_.trust(clock_.now())) log_.info("system clock synchronised: schedules restart with their rules");
    };
    auto services = DaemonServices::start(settings_, *db_, loop, clock_, sink_, options, callbacks);
    if (!services) {
      log_.warn("health and watchdog services unavailable: " + services.error().message);
      return;
    }
    services_ = std::move(*services);
  }

  void start_feeds(TimePoint now) {
    if (settings_.feeds.empty()) return;
    auto cache = FeedCacheRepository::open(*db_);
    if (!cache) {
      log_.error("feed cache unavailable: " + cache.error().message);
      return;
    }
    cache_ = std::move(*cache);
    http_ = make_curl_http_client();
    // A fair queue with a thread per feed (at most 4): a slow feed never delays another.
    worker_ = std::make_unique<WorkerThread>(std::min<size_t>(settings_.feeds.size(), 4));
    FeedServiceOptions options;
    options.zone = zone_;
    WorkerThread* worker = worker_.get();
    feeds_ = std::make_unique<FeedService>(
        settings_.feeds, options, *http_, *cache_, [worker](std::function<void()> job) { worker->submit(std::move(job)); },
        post_, Logger(sink_, "feeds"));
    feeds_->subscribe([this](const Catalogue& c) { on_catalogue(c); });
    pictures_ = FeedPictures::start(default_state_dir(), sink_);  // feed pictures for cards
    feeds_->subscribe([this](const Catalogue& c) { pictures_->on_catalogue(c, clock_.now()); });
    feeds_->start(now);
  }

  void on_catalogue(const Catalogue& catalogue) {
    TimePoint now = clock_.now();
    for (Scheduler* s : schedulers_) s->set_events(catalogue.events, now);
    // The recommender's model is rebuilt off the loop; the rankings come back to it.
    std::shared_ptr<bool> alive = alive_;
    if (!model_worker_) model_worker_ = std::make_unique<WorkerThread>();  // not behind slow fetches
    model_worker_->submit([this, alive, catalogue, now, post = post_, branch = settings_.branch, zone = zone_] {
      auto model = std::make_shared<RecommenderModel>(
          build_model(without_closed_branch_events(catalogue, branch, zone), now));
      post([this, alive, model] {
        if (*alive) apply_model(model);
      });
    });
  }

  void apply_model(std::shared_ptr<const RecommenderModel> shared) {
    model_ = shared;
    const RecommenderModel& model = *shared;
    TimePoint now = clock_.now();
    for (size_t i = 0; i < schedulers_.size() && i < settings_.screens.size(); ++i)
      schedulers_[i]->set_recommendations(screen_picks(model, settings_.screens[i], presence_level_, now, zone_), now);
  }

  void start_ble(TimePoint now) {
    if (!settings_.beacon.enabled && !settings_.presence.enabled) return;
    hasher_ = std::make_unique<ble::AddressHasher>(settings_.presence.window);
    auto radio = ble::make_bluez_radio(clock_, *hasher_, Logger(sink_, "ble"));
    if (!radio) {
      log_.warn("Bluetooth unavailable (the screens play on): " + radio.error().message);
      return;
    }
    radio_ = std::move(*radio);
    if (settings_.presence.enabled) {
      auto repo = PresenceRepository::open(*db_);
      if (repo) presence_repo_ = std::make_unique<PresenceRepository>(std::move(*repo));
      else log_.error("presence counts will not be stored: " + repo.error().message);
    }
    station_ = std::make_unique<ble::BleStation>(
        settings_, *radio_, Logger(sink_, "ble"),
        [this](const PresencePeriod& p) {
          if (!presence_repo_) return;
          if (auto st = presence_repo_->record(p); !st)
            log_.error("presence period not stored: " + st.error().message);
        },
        resolver_.get(), [this](size_t patron, TimePoint at) {
          if (nearby_) nearby_->patron_seen(patron, at, model_);
        });
    station_->start(now);
  }

  // The earliest of the deadlines frame() compares (the loop sleeps until then when the screens
  // are still).
  TimePoint next_deadline(TimePoint now) const {
    TimePoint due = TimePoint::max();
    auto at = [&due](TimePoint t) { due = std::min(due, t); };
    if (feeds_) at(feeds_->next_deadline(now));
    if (radio_) at(radio_->next_deadline());
    if (station_) at(station_->next_deadline());
    if (nearby_) at(next_outbox_tick_);
    if (services_) at(services_->next_deadline());
    if (tv_) {
      at(next_power_check_);
      at(tv_->next_deadline());
    }
    if (!services_ && !schedules_.trusted()) at(next_clock_probe_);
    if (telemetry_) at(telemetry_->next_deadline());
    return due;
  }

  void frame(TimePoint now) {
    if (feeds_ && now >= feeds_->next_deadline(now)) feeds_->tick(now);
    if (radio_ && now >= radio_->next_deadline()) radio_->tick(now);
    if (station_ && now >= station_->next_deadline()) {
      station_->tick(now);
      PresenceLevel level = settings_.presence.enabled ? station_->level(now) : PresenceLevel::kEmpty;
      if (services_) services_->health().presence = level;
      if (nearby_ && feeds_) nearby_->presence(level, feeds_->catalogue().events, now);
      if (level != presence_level_) {
        presence_level_ = level;
        for (Scheduler* s : schedulers_) s->set_presence(level, now);
      }
    }
    if (nearby_ && now >= next_outbox_tick_) {
      nearby_->tick(now);
      next_outbox_tick_ = now + std::chrono::seconds(2);
    }
    if (services_ && now >= services_->next_deadline()) {
      if (feeds_) {
        auto& lines = services_->health().feeds;
        lines.clear();
        for (const auto& f : feeds_->health(now))
        {
          FeedHealthLine line;
          line.id = f.id;
          line.last_success = f.last_success;
          line.last_attempt_failed = !f.last_error.empty();
          lines.push_back(line);
        }
      }
      for (size_t i = 0; i < schedulers_.size() && i < services_->health().screens.size(); ++i)
        services_->health().screens[i].awake_by_plan = schedulers_[i]->awake_at(now);
      services_->tick(now);
    }
    if (tv_) tv_power(now);
    if (!services_ && !schedules_.trusted() && now >= next_clock_probe_) {  // no DaemonServices: probe here
      next_clock_probe_ = now + std::chrono::seconds(5);
      if (clock_synchronized(options_.system_root, options_.kernel_clock_state)) schedules_.trust(now);
    }
    if (services_)  // a screen that presented an item keeps it on screen until the next one
      for (auto& screen : services_->health().screens)
        if (screen.item_started) screen.last_presented = now;
    if (telemetry_ && now >= telemetry_->next_deadline()) tick_telemetry(now);
  }

  // The screens' schedulers already started again (ClockStepWatch); every other pending deadline
  // keeps the wait it had left, and the fixed-period checks run at once. DaemonServices needs
  // nothing: its deadlines (override poll, clock probe, sensors) treat one further away than
  // their period as a clock set back.
  void clock_stepped(Duration step, TimePoint now) {
    if (feeds_) feeds_->clock_stepped(step);
    if (station_) station_->clock_stepped(step);  // and the radio's rotation
    if (tv_) tv_->clock_stepped(step);
    if (telemetry_) telemetry_->clock_stepped(step);
    next_power_check_ = next_outbox_tick_ = next_clock_probe_ = now;
  }

  void item_started(const std::string& screen_id, const Showing& showing, const ScreenStats& stats) {
    if (!services_) return;
    for (auto& screen : services_->health().screens) {
      if (screen.id != screen_id) continue;
      screen.mode = showing.mode == ShowingMode::kStandby   ? "standby"
                    : showing.mode == ShowingMode::kOverride ? "override"
                                                             : "item";
      screen.rule = showing.rule;
      screen.kind = to_string(showing.kind);
      screen.item = showing.ref;
      screen.item_started = showing.start;
      screen.transitions = static_cast<uint64_t>(stats.transitions);
      screen.max_gap_ms = stats.max_gap_ms;
      screen.error.reset();  // a later item plays
    }
  }

  const ApplianceSettings& settings_;
  const Clock& clock_;
  LogSink& sink_;
  Logger log_;
  DaemonOptions options_;
  bool clock_synced_at_start_;
  ClockGatedSchedules schedules_;
  TimeZone zone_;
  EventLoop* loop_ = nullptr;
  Poster post_;  // the loop's poster: jobs from workers, then a turn
  std::vector<Scheduler*> schedulers_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool run_again_ = false;
  bool no_display_ = false;
  PresenceLevel presence_level_ = PresenceLevel::kEmpty;

  StateDatabaseStatus storage_;
  size_t proof_of_play_pending_ = 0;
  uint64_t proof_of_play_dropped_ = 0;
  std::string db_path_;
  std::shared_ptr<const RecommenderModel> model_;
  TimePoint next_outbox_tick_{};

  std::unique_ptr<Database> db_;
  std::unique_ptr<NearbyPrompts> nearby_;
  std::unique_ptr<ble::EidResolver> resolver_;
  std::unique_ptr<DaemonServices> services_;
  std::unique_ptr<FeedCacheRepository> cache_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<FeedService> feeds_;
  std::unique_ptr<FeedPictures> pictures_;
  std::unique_ptr<ble::AddressHasher> hasher_;
  std::unique_ptr<ble::BleRadio> radio_;
  std::unique_ptr<PresenceRepository> presence_repo_;
  std::unique_ptr<ble::BleStation> station_;
  std::unique_ptr<FleetTelemetry> telemetry_;  // before db_ goes
  HealthSnapshot telemetry_health_;            // heartbeats when the health services are off
  std::unique_ptr<WorkerThread> worker_;        // fetches; joined first
  std::unique_ptr<WorkerThread> model_worker_;  // recommender refreshes
  std::unique_ptr<WorkerThread> cec_worker_;    // CEC ioctls; joined before tv_ goes
  std::unique_ptr<TvPowerWiring> tv_;
  TimePoint next_power_check_{};
  TimePoint next_clock_probe_{};
};

}  // namespace

int run_appliance(const ApplianceSettings& settings, ScreenLoopOptions options, const Clock& clock,
                  LogSink& log, std::ostream& out, std::ostream& err, const DaemonOptions& daemon_options) {
  // The loop outlives the daemon: ~Daemon joins every worker (feeds, recommender, CEC, telemetry)
  // before the loop they post to is destroyed. Posts that arrive after the loop stopped are
  // dropped and counted (common/event_loop.h).
  auto loop = make_glib_event_loop(clock);
  int status = 0;
  bool run_again = false;
  {
    Daemon daemon(settings, clock, log, daemon_options);
    status = run_screens(settings, std::move(options), clock, log, out, err, *loop, daemon.hooks());
    run_again = daemon.run_again();
  }
  if (uint64_t dropped = loop->dropped_posts())
    Logger(log, "daemon").info("stopped: " + std::to_string(dropped) + " posted event(s) dropped after the loop ended");
  return status == 0 && run_again ? kRunAgain : status;
}

}  // namespace branchcast
