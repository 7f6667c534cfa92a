#include "services/health_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "services/sysfs_sensors.h"

namespace branchcast {
namespace {

using namespace std::chrono_literals;

TimePoint at(int64_t s) { return TimePoint{std::chrono::seconds{s}}; }

HealthSnapshot playing(TimePoint now) {
  HealthSnapshot s;
  s.started = now - 3600s;
  s.first_frame = true;
  ScreenHealth sc;
  sc.id = "entrance";
  sc.rule = "default";
  sc.kind = "image";
  sc.item = "content/welcome.png";
  sc.item_started = now - 4s;
  sc.last_presented = now - 1s;
  s.screens.push_back(sc);
  return s;
}

TEST(Healthz, PlayingAsPlannedIs200) {
  auto now = at(1'800'000'000);
  auto r = build_healthz(playing(now), now);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
}

// Issue 13: degraded storage and a fallback configuration are notes; the screens play (200).
TEST(Healthz, DegradedStorageAndAFallbackConfigurationAreNotes) {
  TimePoint now = at(1000);
  HealthSnapshot s = playing(now);
  s.storage_problem = "state storage degraded: /x/branchcast.db: a folder is in the database's place";
  s.config_problem = "current/appliance.yaml:2:1: error: invalid YAML";
  s.proof_of_play_pending = 3;
  auto r = build_healthz(s, now);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("note: state storage degraded: /x/branchcast.db: a folder"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("note: configuration degraded: current/appliance.yaml:2:1"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("3 proof-of-play rows kept in memory"), std::string::npos) << r.body;
  EXPECT_NE(build_metrics(s, now).body.find("branchcast_storage_degraded 1"), std::string::npos);
}

TEST(Healthz, FrozenScreenIs503WithReason) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  s.screens[0].last_presented = now - 40s;
  auto r = build_healthz(s, now);
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("reason: screen entrance: no frame presented for 40s"), std::string::npos) << r.body;
}

TEST(Healthz, ScreenOffByPlanIsNotAnOutage) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  s.screens[0].awake_by_plan = false;
  s.screens[0].mode = "standby";
  s.screens[0].last_presented = now - 10h;  // nothing drawn all night
  auto r = build_healthz(s, now);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("note: screen entrance: off by plan"), std::string::npos);
}

TEST(Healthz, StartingAndTvDisobeyingAre503) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  s.first_frame = false;
  s.screens[0].tv_obeyed = false;
  auto r = build_healthz(s, now);
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("starting"), std::string::npos);
  EXPECT_NE(r.body.find("did not follow the power schedule"), std::string::npos);
}

TEST(Healthz, SkippedItemWhileAPictureShowsIsDegradedNotAnOutage) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  s.screens[0].error = "skipped video 'content/broken.webm' (could not decode)";
  auto r = build_healthz(s, now);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("note: screen entrance: degraded: skipped video 'content/broken.webm'"), std::string::npos) << r.body;
  EXPECT_NE(build_metrics(s, now).body.find("branchcast_screen_degraded{screen=\"entrance\"} 1\n"), std::string::npos);
  s.screens[0].error.reset();
  EXPECT_NE(build_metrics(s, now).body.find("branchcast_screen_degraded{screen=\"entrance\"} 0\n"), std::string::npos);
}

TEST(Healthz, FailingItemWithNothingOnScreenIs503) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  s.screens[0].last_presented.reset();
  s.screens[0].error = "skipped video 'content/broken.webm' (could not decode)";
  auto r = build_healthz(s, now);
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("reason: screen entrance: skipped video"), std::string::npos) << r.body;
}

TEST(Healthz, TvIgnoringStandbyIsANoteWithABlackPicture) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  s.screens[0].awake_by_plan = false;
  s.screens[0].mode = "black";
  s.screens[0].tv_obeyed = false;
  auto r = build_healthz(s, now);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("note: screen entrance: the TV did not obey the power schedule"), std::string::npos) << r.body;
  EXPECT_NE(build_metrics(s, now).body.find("branchcast_tv_obeyed{screen=\"entrance\"} 0\n"), std::string::npos);
}

TEST(Healthz, UntrustedClockIsANoteNotAnOutage) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  s.clock_trusted = false;
  auto r = build_healthz(s, now);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("clock not synchronised"), std::string::npos);
}

// Issue 14: a service without a display keeps running and says so; not an outage (the slot is
// marked good on health, whether or not a monitor is attached).
TEST(Healthz, NoDisplayIsANoteNotAnOutage) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  s.no_display = true;
  auto r = build_healthz(s, now);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("note: no display: running without one"), std::string::npos) << r.body;
  EXPECT_NE(build_metrics(s, now).body.find("branchcast_display_attached 0\n"), std::string::npos);
  s.no_display = false;
  EXPECT_NE(build_metrics(s, now).body.find("branchcast_display_attached 1\n"), std::string::npos);
}

TEST(Metrics, ExpositionHasEveryFamily) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  s.screens[0].transitions = 12;
  s.screens[0].last_gap_ms = 16;
  s.screens[0].max_gap_ms = 250;
  s.presence = PresenceLevel::kBusy;
  s.feeds.push_back({"events", now - 90s, false});
  s.feeds.push_back({"new-arrivals", std::nullopt, true});
  s.outbox_depth = 4;
  s.telemetry_buffered = 7;
  s.telemetry_dropped = 2;
  s.sensors.cpu_temperature_c = 51.5;
  s.sensors.throttled = 0x50005;
  auto r = build_metrics(s, now);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  const std::string& b = r.body;
  EXPECT_NE(b.find("branchcast_healthy 1\n"), std::string::npos) << b;
  EXPECT_NE(b.find("branchcast_screen_item{screen=\"entrance\",mode=\"item\",rule=\"default\",kind=\"image\",item=\"content/welcome.png\"} 1\n"), std::string::npos) << b;
  EXPECT_NE(b.find("branchcast_transitions_total{screen=\"entrance\"} 12\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_transition_gap_seconds{screen=\"entrance\",stat=\"max\"} 0.25\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_presence_level 2\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_feed_age_seconds{feed=\"events\"} 90\n"), std::string::npos);
  EXPECT_EQ(b.find("branchcast_feed_age_seconds{feed=\"new-arrivals\"}"), std::string::npos);
  EXPECT_NE(b.find("branchcast_feed_failing{feed=\"new-arrivals\"} 1\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_outbox_depth 4\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_telemetry_buffered 7\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_telemetry_dropped_total 2\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_cpu_temperature_celsius 51.5\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_throttled{condition=\"undervoltage\",when=\"now\"} 1\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_throttled{condition=\"throttled\",when=\"now\"} 1\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_throttled{condition=\"arm_frequency_capped\",when=\"now\"} 0\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_throttled{condition=\"undervoltage\",when=\"since_boot\"} 1\n"), std::string::npos);
  EXPECT_NE(b.find("branchcast_throttled{condition=\"throttled\",when=\"since_boot\"} 1\n"), std::string::npos);
  // Every sample line belongs to a declared family.
  std::istringstream in(b);
  std::string line, family;
  while (std::getline(in, line)) {
    if (line.rfind("# TYPE ", 0) == 0) {
      family = line.substr(7, line.find(' ', 7) - 7);
    } else if (line[0] != '#') {
      EXPECT_EQ(line.rfind(family, 0), 0u) << line;
    }
  }
}

TEST(Metrics, AScreenListedTwiceGivesOneSeries) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  s.screens.push_back(s.screens[0]);
  s.screens[1].last_presented = now - 1h;  // the copy is ignored: the first occurrence counts
  auto b = build_metrics(s, now).body;
  EXPECT_EQ(b.find("branchcast_screen_up{screen=\"entrance\"}"), b.rfind("branchcast_screen_up{screen=\"entrance\"}"));
  EXPECT_EQ(build_healthz(s, now).status, 200);
}

TEST(Metrics, LabelValuesAreEscaped) {
  EXPECT_EQ(escape_label("say \"hi\"\\\nbye"), "say \\\"hi\\\"\\\\\\nbye");
}

TEST(Route, UnknownPathAndMethod) {
  auto now = at(1'800'000'000);
  auto s = playing(now);
  EXPECT_EQ(route_health_request("GET", "/nope", s, now).status, 404);
  EXPECT_EQ(route_health_request("POST", "/healthz", s, now).status, 405);
  EXPECT_EQ(route_health_request("GET", "/healthz?verbose=1", s, now).status, 200);
}

TEST(SysfsSensors, ReadsPiFilesUnderInjectedRoot) {
  auto root = std::filesystem::temp_directory_path() / ("bc-sysfs-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  EXPECT_FALSE(read_sysfs_sensors(root.string()).cpu_temperature_c.has_value());
  std::filesystem::create_directories(root / "sys/class/thermal/thermal_zone0");
  std::filesystem::create_directories(root / "sys/devices/platform/soc/soc:firmware");
  std::ofstream(root / "sys/class/thermal/thermal_zone0/temp") << "48312\n";
  std::ofstream(root / "sys/devices/platform/soc/soc:firmware/get_throttled") << "0x50000\n";
  auto r = read_sysfs_sensors(root.string());
  ASSERT_TRUE(r.cpu_temperature_c.has_value());
  EXPECT_DOUBLE_EQ(*r.cpu_temperature_c, 48.312);
  ASSERT_TRUE(r.throttled.has_value());
  EXPECT_EQ(*r.throttled, 0x50000u);
  std::ofstream(root / "sys/class/thermal/thermal_zone0/temp") << "garbage";
  EXPECT_FALSE(read_sysfs_sensors(root.string()).cpu_temperature_c.has_value());
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace branchcast
