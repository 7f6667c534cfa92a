// The daemon's services composed for the run loop: health endpoint, systemd notify/watchdog,
// emergency override pick-up, clock trust and config reload (CEC is per screen: see
// docs/services.md). The run loop owns one DaemonServices and:
//   - after the first frame: first_frame_presented()           (READY=1)
//   - as a Ticker (common/ticker.h): tick(turn) at next_deadline(now)   (override poll, clock
//                                                                 trust, sensors, STATUS=)
//   - gives `fill_health`: the snapshot's other parts (screens, feeds, presence, storage), asked
//     for whenever the snapshot is (a /healthz or /metrics request, STATUS=, telemetry)
//   - on shutdown: stopping()                                    (STOPPING=1)
// and receives the callbacks below on the loop thread. The watchdog is petted from an
// EventLoop::every() timer (monotonic, immune to wall-clock jumps) at half WATCHDOG_USEC.
// Loop thread only.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/ticker.h"
#include "common/event_loop.h"
#include "common/log.h"
#include "common/worker_thread.h"
#include "services/clock_trust.h"
#include "services/config_reloader.h"
#include "services/config_watcher.h"
#include "services/health_server.h"
#include "services/override_poke.h"
#include "services/override_watcher.h"
#include "services/sd_notifier.h"

namespace branchcast {

struct DaemonServicesOptions {
  std::string state_dir;                   // last known good time lives here
  std::string system_root = "/";           // sysfs sensors and the timesyncd marker (tests: scratch)
  bool kernel_clock_state = true;          // also trust ntp_adjtime's STA_UNSYNC (tests: false)
  HealthServerOptions health;              // health.listen from the settings goes in here
  bool watch_config = true;                // SIGHUP and file monitors
  ApplianceLoader loader;                  // load_appliance in the product; run on a worker
  Duration reload_deadline{20'000};        // a reload that loads longer is refused (issue 13)
  Duration sensors_every{10'000};
  // The override table's fallback poll; `branchcast override` pokes (services/override_poke.h)
  // and is read at once. So an override appears within a turn when set with `branchcast
  // override`, and within this bound when written by anything else.
  Duration override_poll = OverrideWatcher::kDefaultPoll;
};

struct DaemonServicesCallbacks {
  std::function<void(const std::optional<Override>&)> override_changed;  // -> every Scheduler::set_override
  // -> rebuild screens' inputs; with the files whose contents changed (ConfigReloader::changed_files)
  std::function<void(const ApplianceSettings&, const std::vector<std::string>& changed_files)> config_changed;
  std::function<void()> clock_trusted;  // -> rebuild Schedulers from the full inputs, start(now)
  // Writes the parts of the health snapshot the services do not own (screens, feeds, presence,
  // storage, telemetry) into it, for `now`; called each time the snapshot is asked for.
  std::function<void(HealthSnapshot&, TimePoint now)> fill_health;
  // Called on the loop thread, outside a turn, when a deadline became due at once (an override
  // poke): ask the loop for a turn (RunLoop::poster() with an empty job).
  std::function<void()> wake;
};

class DaemonServices final : public Ticker {
 public:
  // Starts the health server and watchers. Fails when the health address is refused or in use
  // (the caller logs it and may run without health) or the override table cannot be opened.
  // `db` (the loop's own), `loop`, `clock` and `sink` must outlive the services.
  static Result<std::unique_ptr<DaemonServices>> start(const ApplianceSettings& settings, Database& db,
                                                       EventLoop& loop, const Clock& clock, LogSink& sink,
                                                       DaemonServicesOptions options,
                                                       DaemonServicesCallbacks callbacks);
  ~DaemonServices();

  // Ticker. A clock step needs nothing: a deadline (override poll, clock probe, sensors) further
  // away than its period is taken as the clock set back and is due at once.
  TimePoint next_deadline(TimePoint now) const override;
  void tick(const Turn& turn) override;
  void clock_stepped(Duration, const Turn&) override {}

  // The health snapshot at `now`: the services' own parts (start, first frame, clock trust,
  // config reload, sensors) and what fill_health adds.
  HealthSnapshot health(TimePoint now) const;
  bool clock_trusted() const { return trusted_; }
  uint16_t health_port() const { return server_ ? server_->port() : 0; }
  void first_frame_presented();
  void stopping();

 private:
  DaemonServices(Database& db, const Clock& clock, LogSink& sink, DaemonServicesOptions options,
                 DaemonServicesCallbacks callbacks, std::unique_ptr<OverrideRepository> repo);
  void update_status(TimePoint now);

  const Clock& clock_;
  Logger log_;
  DaemonServicesOptions options_;
  DaemonServicesCallbacks callbacks_;
  HealthSnapshot health_;
  SdNotifier notifier_;
  std::unique_ptr<OverrideRepository> override_repo_;
  OverrideWatcher override_watcher_;
  ClockTrust clock_trust_;
  bool trusted_ = false;
  std::unique_ptr<ConfigReloader> reloader_;
  std::unique_ptr<ConfigWatcher> config_watcher_;
  std::unique_ptr<WorkerThread> config_worker_;  // config loads, off the loop; joined first
  std::unique_ptr<HealthServer> server_;
  std::unique_ptr<OverridePokeWatch> poke_watch_;
  TimePoint next_sensors_{};
  std::string last_status_;
};

}  // namespace branchcast
