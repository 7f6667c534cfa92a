// The appliance beside its screens (issue 12): feeds (FeedService: events and recommendations to
// every screen's scheduler), the BLE beacon and presence counter (levels to the schedulers, counts
// to SQLite), nearby prompts, HDMI-CEC power, fleet telemetry and the daemon services (health
// endpoint, systemd notify and watchdog, emergency override pick-up, clock trust, config reload).
//
// Built from injected ports (AppliancePorts): the event loop, the one state database (opened once
// by `branchcast run`, appliance/cmd_run.cpp, which also makes every adapter), an HTTP client, a
// radio opener, an MQTT publisher opener and a CEC opener. Tests pass fakes
// (tests/appliance/appliance_test.cpp) and drive it turn by turn on a fake clock.
//
// Time: Appliance is a Ticker (common/ticker.h): the run loop calls tick(turn) when
// next_deadline(turn.now) is reached and clock_stepped(step, turn) when the wall clock steps.
// What happens between deadlines arrives through the named on_* methods (screens, workers' results
// posted to the loop, callbacks of the components). Health is assembled from the components'
// status when it is asked for (fill_health). Loop thread only, except that worker jobs run on
// worker threads and post their results.
//
// Lifetimes: stop() (the loop is about to end) and ~Appliance join every worker (feeds, recommender,
// CEC, telemetry) while the loop they post to still exists; the caller destroys the loop after.
// Each of the two joins is bounded (DaemonOptions::stop_bound): a worker that never returns makes
// the process exit rather than hang past systemd's stop timeout.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/http_client.h"
#include "common/log.h"
#include "common/ticker.h"
#include "config/settings.h"
#include "scheduler/scheduler.h"
#include "services/health_report.h"
#include "store/state_database.h"

namespace branchcast {

class Database;
class MqttPublisher;
class CecPort;
struct Catalogue;
struct RecommenderModel;
struct ScreenStats;
namespace ble {
class AddressHasher;
class BleRadio;
}  // namespace ble

// Exit status asking the caller to load the (changed, validated) configuration and run again.
inline constexpr int kRunAgain = -1;

// Where the appliance reads the OS state it trusts; tests and benchmarks point it at scratch folders.
struct DaemonOptions {
  std::string system_root = "/";   // timesyncd's marker and the sysfs sensors under it
  bool kernel_clock_state = true;  // also trust ntp_adjtime()'s STA_UNSYNC (tests: false)
  std::string cec_dir = "/dev";    // screen i (settings order) uses <cec_dir>/cec<i>
  // Clock trust (issue 7): when true, the schedules play the default playlists until the clock
  // has been synchronised since boot. `branchcast run` sets it when it runs unattended (as a
  // systemd service, or with --require-synced-clock); at a terminal the operator's clock is
  // trusted and an unsynchronised clock is only warned about.
  bool require_synced_clock = true;
  // `run` started on a fallback (services/content_versions.h): why, for /healthz ("" = none).
  std::string config_problem;
  // SIGHUP and file monitors on the configuration (off in tests that drive the appliance alone).
  bool watch_config = true;
  // The state folder (last known good time); "" = default_state_dir().
  std::string state_dir;
  // Shutdown's bound (common/stop_deadline.h): stop() and the destructor join the workers; one
  // still in a call after this long is abandoned and the process exits (status 0, one log line).
  // Well inside the unit's TimeoutStopSec (image-build/systemd/branchcast.service).
  Duration stop_bound{10'000};
};

// The adapters the appliance talks to. Every opener is optional: unset means that part is off
// (logged like an adapter that failed to open), so a test passes only what it fakes.
struct AppliancePorts {
  EventLoop& loop;
  Database& db;                   // the state database, opened once; outlives the appliance
  StateDatabaseStatus db_status;  // what open_state_database() had to do (health)
  HttpClient* http = nullptr;     // feeds and prompts; thread-safe; outlives the appliance
  std::function<Result<std::unique_ptr<ble::BleRadio>>(ble::AddressHasher&)> open_radio;
  std::function<std::unique_ptr<MqttPublisher>()> open_mqtt;                 // telemetry, prompts
  std::function<Result<std::unique_ptr<CecPort>>(size_t hdmi)> open_cec;     // screen i: HDMI i
};

// One screen as the appliance sees it: its id and its scheduler (the screen loop owns both).
struct ApplianceScreen {
  std::string id;
  Scheduler* scheduler = nullptr;
};

class Appliance final : public Ticker {
 public:
  Appliance(const ApplianceSettings& settings, const Clock& clock, LogSink& sink, DaemonOptions options,
            AppliancePorts ports);
  ~Appliance() override;
  Appliance(const Appliance&) = delete;
  Appliance& operator=(const Appliance&) = delete;

  // Before each screen's scheduler is built: what it starts from, given its full inputs (clock
  // trust gates the rules until the clock is synchronised).
  ScheduleInputs schedule_inputs(ScheduleInputs full);
  // Once, after the screens' schedulers started (settings order). `post` runs a job on the loop
  // thread and then asks for a turn (what it changed is drawn with that turn's `now`).
  void start(std::vector<ApplianceScreen> screens, Poster post, TimePoint now);
  // The loop is about to end: joins the workers that post to it, says STOPPING=1.
  void stop();

  // Ticker (common/ticker.h): every component with deadlines (FeedService, BleStation with its
  // radio and presence, NearbyPrompts' outbox, DaemonServices, TvPowerWiring, FleetTelemetry) is a
  // Ticker itself; tick() ticks those that are due, clock_stepped() tells them all.
  TimePoint next_deadline(TimePoint now) const override;
  void tick(const Turn& turn) override;
  void clock_stepped(Duration step, const Turn& turn) override;

  // Events, loop thread.
  void on_catalogue(const Catalogue& catalogue);                      // FeedService published
  void on_model(std::shared_ptr<const RecommenderModel> model);       // recommender rebuilt
  void on_presence(PresenceLevel level, TimePoint now);               // the station's level
  void on_patron(size_t patron, TimePoint at);                        // an enrolled patron is near
  void on_override(const std::optional<Override>& o, TimePoint now);  // the override table changed
  void on_clock_trusted(TimePoint now);                               // the clock got synchronised
  // A valid configuration (validated on the config worker): applied to the screens in place when
  // it can be (appliance/config_change.h: the item on screen plays on, the next comes from it),
  // else the loop ends and run_again() asks the caller to run with next_settings().
  // `changed_files`: the watched files whose contents changed (ConfigReloader::changed_files(),
  // read on the worker); the patrons file among them restarts. Nothing is read here.
  void on_config_changed(const ApplianceSettings& next, const std::vector<std::string>& changed_files = {});
  void on_item_started(const std::string& screen, const Showing& showing, const ScreenStats& stats);
  void on_item_failed(const std::string& screen, const std::string& error);
  void on_first_frame();
  void on_display_missing();
  void on_display_found();
  void on_proof_of_play_kept(size_t pending, uint64_t dropped);

  // The health snapshot's parts the appliance knows (screens, feeds, presence, storage,
  // telemetry, display), written into `health` (whose services' parts DaemonServices fills).
  void fill_health(HealthSnapshot& health, TimePoint now) const;
  // The whole snapshot as /healthz would serve it at `now` (the services' parts when they run).
  HealthSnapshot health(TimePoint now) const;

  bool run_again() const { return run_again_; }
  // The validated configuration that needs a restart (on_config_changed), if any: the caller runs
  // with it instead of loading the files again.
  const std::optional<ApplianceSettings>& next_settings() const { return next_settings_; }
  // The configuration playing now: the one given at construction, or the last applied in place.
  const ApplianceSettings& applied() const { return applied_ ? *applied_ : settings_; }
  // The recommender's model built from the last catalogue (null until the first is built).
  const RecommenderModel* model() const { return model_.get(); }
  uint16_t health_port() const;

 private:
  struct Parts;
  void start_services();
  void start_feeds(TimePoint now);
  void start_nearby();
  void start_ble(TimePoint now);
  void start_tv_power();
  void start_telemetry(TimePoint now);
  void add_tickers();
  ScreenHealth* screen_health(const std::string& id);

  const ApplianceSettings& settings_;
  std::unique_ptr<const ApplianceSettings> applied_;  // the last change applied in place
  std::optional<ApplianceSettings> next_settings_;
  const Clock& clock_;
  LogSink& sink_;
  Logger log_;
  DaemonOptions options_;
  AppliancePorts ports_;
  Poster post_;
  std::vector<ApplianceScreen> screens_;
  std::vector<ScreenHealth> screen_health_;
  std::shared_ptr<bool> alive_;
  bool run_again_ = false;
  bool stopped_ = false;
  bool no_display_ = false;
  bool first_frame_ = false;
  PresenceLevel presence_level_ = PresenceLevel::kEmpty;
  size_t proof_of_play_pending_ = 0;
  uint64_t proof_of_play_dropped_ = 0;
  TimePoint started_{};
  std::shared_ptr<const RecommenderModel> model_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace branchcast
