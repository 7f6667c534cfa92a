// DaemonServices end to end: real SQLite, real HTTP on 127.0.0.1, real files for the clock and
// sensors, a fake wall clock driving the deadlines.
#include "services/daemon_services.h"

#include <glib.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/http_client.h"

namespace branchcast {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct FakeClock final : Clock {
  TimePoint t{std::chrono::seconds{1'800'000'000}};
  TimePoint now() const override { return t; }
  MonoTime monotonic() const override { return MonoTime{t.time_since_epoch()}; }
};

Result<HttpResponse> get_while_serving(uint16_t port, const std::string& path) {
  Result<HttpResponse> r = make_error("unset");
  std::atomic<bool> done{false};
  std::thread t([&] {
    HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(port) + path;
    r = make_curl_http_client()->perform(req);
    done = true;
    g_main_context_wakeup(nullptr);
  });
  while (!done) g_main_context_iteration(nullptr, TRUE);
  t.join();
  return r;
}

class DaemonServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("NOTIFY_SOCKET");
    dir_ = fs::temp_directory_path() / ("bc-daemon-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "state");
    fs::create_directories(dir_ / "root/sys/class/thermal/thermal_zone0");
    std::ofstream(dir_ / "root/sys/class/thermal/thermal_zone0/temp") << "47000\n";
    auto db = Database::open((dir_ / "state/branchcast.db").string());
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    settings_.screens.emplace_back().id = "entrance";
    settings_.feeds.emplace_back().id = "events";
    loop_ = make_glib_event_loop(clock_);
    DaemonServicesOptions o;
    o.state_dir = (dir_ / "state").string();
    o.system_root = (dir_ / "root").string();
    o.kernel_clock_state = false;
    o.health.listen = "127.0.0.1:0";
    o.watch_config = false;
    DaemonServicesCallbacks cb;
    cb.override_changed = [this](const std::optional<Override>& o) { overrides_.push_back(o); };
    cb.clock_trusted = [this] { ++trusted_calls_; };
    cb.wake = [this] { ++wakes_; };
    cb.fill_health = [this](HealthSnapshot& h, TimePoint) {
      if (fill_) fill_(h);
    };
    auto s = DaemonServices::start(settings_, *db_, *loop_, clock_, sink_, o, cb);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    services_ = std::move(*s);
  }
  void TearDown() override {
    services_.reset();
    while (g_main_context_iteration(nullptr, FALSE)) {
    }
    fs::remove_all(dir_);
  }

  fs::path dir_;
  FakeClock clock_;
  NullLogSink sink_;
  std::unique_ptr<Database> db_;
  ApplianceSettings settings_;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<DaemonServices> services_;
  std::vector<std::optional<Override>> overrides_;
  int trusted_calls_ = 0;
  int wakes_ = 0;
  std::function<void(HealthSnapshot&)> fill_;  // the appliance's parts of the snapshot
};

TEST_F(DaemonServicesTest, OverrideFromTheDatabaseReachesTheLoop) {
  services_->tick(Turn{clock_.t, {}});
  ASSERT_EQ(overrides_.size(), 1u);
  EXPECT_FALSE(overrides_[0].has_value());
  auto repo = OverrideRepository::open(*db_);
  ASSERT_TRUE(repo->set("Fire drill", clock_.t + 1h, clock_.t).ok());
  EXPECT_LE(services_->next_deadline(clock_.t), clock_.t + OverrideWatcher::kDefaultPoll);  // the fallback poll
  services_->tick(Turn{clock_.t + OverrideWatcher::kDefaultPoll, {}});
  ASSERT_EQ(overrides_.size(), 2u);
  EXPECT_EQ(overrides_[1]->text, "Fire drill");
}

// `branchcast override` pokes (services/override_poke.h): the file monitor wakes the loop and the
// override is read in the next turn, long before the fallback poll.
TEST_F(DaemonServicesTest, AnOverridePokeWakesTheLoopAndTheOverrideIsReadAtOnce) {
  services_->tick(Turn{clock_.t, {}});
  ASSERT_EQ(overrides_.size(), 1u);
  EXPECT_GE(services_->next_deadline(clock_.t), clock_.t + 5s);  // (the clock probe, 5 s): not every second
  auto repo = OverrideRepository::open(*db_);
  ASSERT_TRUE(repo->set("Fire drill", clock_.t + 1h, clock_.t).ok());
  ASSERT_TRUE(poke_override((dir_ / "state").string()).ok());
  // The GLib loop delivers the monitor's event (a real-time bound: a hang guard, not a timing check).
  auto give_up = std::chrono::steady_clock::now() + 30s;
  while (wakes_ == 0 && std::chrono::steady_clock::now() < give_up)
    if (!g_main_context_iteration(nullptr, FALSE)) std::this_thread::sleep_for(5ms);
  ASSERT_GE(wakes_, 1);
  EXPECT_LE(services_->next_deadline(clock_.t), clock_.t);
  services_->tick(Turn{clock_.t + 10ms, {}});
  ASSERT_EQ(overrides_.size(), 2u);
  EXPECT_EQ(overrides_[1]->text, "Fire drill");
}

TEST_F(DaemonServicesTest, ClockTrustedOnceTimesyncdHasSynced) {
  services_->tick(Turn{clock_.t, {}});
  EXPECT_FALSE(services_->clock_trusted());
  EXPECT_FALSE(services_->health(clock_.t).clock_trusted);
  fs::create_directories(dir_ / "root/run/systemd/timesync");
  std::ofstream(dir_ / "root/run/systemd/timesync/synchronized");
  services_->tick(Turn{clock_.t + 5s, {}});
  EXPECT_TRUE(services_->clock_trusted());
  EXPECT_EQ(trusted_calls_, 1);
  std::ifstream last(dir_ / "state/clock-last-good");
  long long saved = 0;
  last >> saved;
  EXPECT_EQ(saved, 1'800'000'005);
  services_->tick(Turn{clock_.t + 10s, {}});
  EXPECT_EQ(trusted_calls_, 1);
}

TEST_F(DaemonServicesTest, ClockJumpingBackStillPolls) {
  services_->tick(Turn{clock_.t, {}});
  auto repo = OverrideRepository::open(*db_);
  ASSERT_TRUE(repo->set("Closed today", std::nullopt, clock_.t).ok());
  services_->tick(Turn{clock_.t - 2h, {}});  // the wall clock was set back
  ASSERT_EQ(overrides_.size(), 2u);
  EXPECT_EQ(overrides_[1]->text, "Closed today");
}

TEST_F(DaemonServicesTest, HealthEndpointFollowsTheSnapshot) {
  services_->tick(Turn{clock_.t, {}});
  auto starting = get_while_serving(services_->health_port(), "/healthz");
  ASSERT_TRUE(starting.ok()) << starting.error().message;
  EXPECT_EQ(starting->status, 503);
  services_->first_frame_presented();
  fill_ = [this](HealthSnapshot& h) {  // asked for at each request, like the appliance's
    auto& screen = h.screens.at(0);
    screen.last_presented = clock_.t;
    screen.rule = "default";
    screen.kind = "image";
    screen.item = "content/welcome.png";
  };
  auto ok = get_while_serving(services_->health_port(), "/healthz");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
  EXPECT_NE(ok->body.find("clock not synchronised"), std::string::npos);
  auto metrics = get_while_serving(services_->health_port(), "/metrics");
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find("branchcast_cpu_temperature_celsius 47\n"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("branchcast_feed_failing{feed=\"events\"} 0\n"), std::string::npos);
  EXPECT_NE(metrics->body.find("item=\"content/welcome.png\""), std::string::npos);
}

}  // namespace
}  // namespace branchcast
