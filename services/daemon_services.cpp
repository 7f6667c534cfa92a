#include "services/daemon_services.h"

#include "services/clock_probe.h"
#include "services/sysfs_sensors.h"

namespace branchcast {

DaemonServices::DaemonServices(Database&, const Clock& clock, LogSink& sink, DaemonServicesOptions options,
                               DaemonServicesCallbacks callbacks, std::unique_ptr<OverrideRepository> repo)
    : clock_(clock), log_(sink, "services"), options_(std::move(options)), callbacks_(std::move(callbacks)),
      override_repo_(std::move(repo)), override_watcher_(*override_repo_, log_.child("override"), options_.override_poll),
      clock_trust_([root = options_.system_root, kernel = options_.kernel_clock_state] {
                     return clock_synchronized(root, kernel);
                   },
                   [file = LastGoodTimeFile(options_.state_dir + "/clock-last-good")](TimePoint t) { return file.save(t); },
                   LastGoodTimeFile(options_.state_dir + "/clock-last-good").load(), log_.child("clock")) {}

Result<std::unique_ptr<DaemonServices>> DaemonServices::start(const ApplianceSettings& settings, Database& db,
                                                              EventLoop& loop, const Clock& clock, LogSink& sink,
                                                              DaemonServicesOptions options,
                                                              DaemonServicesCallbacks callbacks) {
  auto repo = OverrideRepository::open(db);
  if (!repo) return repo.error();
  std::unique_ptr<DaemonServices> s(new DaemonServices(db, clock, sink, std::move(options), std::move(callbacks),
                                                       std::make_unique<OverrideRepository>(std::move(*repo))));
  DaemonServices* self = s.get();
  s->health_.started = clock.now();
  for (const auto& screen : settings.screens) s->health_.screens.emplace_back().id = screen.id;
  for (const auto& feed : settings.feeds) s->health_.feeds.emplace_back().id = feed.id;
  if (settings.presence.enabled) s->health_.presence = PresenceLevel::kEmpty;

  auto server = HealthServer::start(
      s->options_.health,
      [self](const std::string& method, const std::string& path) {
        TimePoint now = self->clock_.now();
        return route_health_request(method, path, self->health(now), now);
      },
      s->log_.child("health"));
  if (!server) return server.error();
  s->server_ = std::move(*server);

  if (s->options_.watch_config && s->options_.loader) {
    // Nothing parses on the loop thread (issue 13): the reload loads on its own worker and the
    // result is posted back; the loop keeps its frame rate meanwhile.
    s->config_worker_ = std::make_unique<WorkerThread>();
    ReloadOnWorker on_worker;
    on_worker.run_on_worker = [w = s->config_worker_.get()](std::function<void()> job) { w->submit(std::move(job)); };
    on_worker.post_to_loop = loop.poster();
    on_worker.deadline = s->options_.reload_deadline;
    s->reloader_ = std::make_unique<ConfigReloader>(
        settings, s->options_.loader,
        [self](const ApplianceSettings& next) {
          if (self->callbacks_.config_changed) self->callbacks_.config_changed(next, self->reloader_->changed_files());
        },
        s->log_.child("config"), std::move(on_worker));
    auto watcher = ConfigWatcher::start(*s->reloader_, {}, s->log_.child("config"));
    if (!watcher) return watcher.error();
    s->config_watcher_ = std::move(*watcher);
  }
  auto poke = OverridePokeWatch::start(
      s->options_.state_dir,
      [self] {
        self->override_watcher_.poll_now();
        if (self->callbacks_.wake) self->callbacks_.wake();
      },
      s->log_.child("override"));
  if (poke) s->poke_watch_ = std::move(*poke);
  else s->log_.warn(poke.error().message + " (overrides are polled every " +
                    std::to_string(s->options_.override_poll.count() / 1000) + " s)");
  if (auto period = s->notifier_.watchdog_period()) loop.every(*period, [self] { self->notifier_.watchdog(); });
  return s;
}

DaemonServices::~DaemonServices() = default;

TimePoint DaemonServices::next_deadline(TimePoint) const {
  return std::min({override_watcher_.next_deadline(), clock_trust_.next_deadline(), next_sensors_});
}

void DaemonServices::tick(const Turn& turn) {
  const TimePoint now = turn.now;
  if (auto change = override_watcher_.tick(now); change && callbacks_.override_changed)
    callbacks_.override_changed(*change);
  clock_trust_.tick(now);
  bool trusted = clock_trust_.trusted(now);
  if (trusted && !trusted_) {
    trusted_ = true;
    if (callbacks_.clock_trusted) callbacks_.clock_trusted();
  }
  health_.clock_trusted = trusted_;
  if (reloader_) health_.config_reload_refused = reloader_->last_refused();
  if (now >= next_sensors_ || next_sensors_ - now > options_.sensors_every) {
    health_.sensors = read_sysfs_sensors(options_.system_root);
    next_sensors_ = now + options_.sensors_every;
  }
  update_status(now);
}

HealthSnapshot DaemonServices::health(TimePoint now) const {
  HealthSnapshot h = health_;
  if (callbacks_.fill_health) callbacks_.fill_health(h, now);
  return h;
}

void DaemonServices::first_frame_presented() {
  health_.first_frame = true;
  notifier_.ready();
}

void DaemonServices::stopping() { notifier_.stopping(); }

// STATUS= line for `systemctl status`, sent when it changes.
void DaemonServices::update_status(TimePoint now) {
  const HealthSnapshot health_ = health(now);
  std::string status = health_.first_frame ? "playing" : "starting";
  if (!trusted_) status += "; clock not synchronised (default playlist)";
  if (health_.config_reload_refused) status += "; last config change refused";
  for (const auto& s : health_.screens)
    if (s.mode == "override") {
      status += "; emergency override";
      break;
    }
  if (status == last_status_) return;
  last_status_ = status;
  notifier_.status(status);
}

}  // namespace branchcast
