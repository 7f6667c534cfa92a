// The pure telemetry core: payloads, suppression, redaction, sequence numbers, backoff.
#include "services/telemetry.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace branchcast {
namespace {

using nlohmann::json;

const TimePoint kNow = TimePoint(sys_days(std::chrono::year{2026} / 3 / 2)) + std::chrono::hours(9);

TelemetryIdentity identity() { return {"central", "1.4.0", 3}; }

HealthSnapshot health() {
  HealthSnapshot h;
  h.started = kNow - std::chrono::hours(2);
  h.first_frame = true;
  ScreenHealth sc;
  sc.id = "entrance";
  sc.rule = "Storytime mornings";
  sc.kind = "video";
  sc.item = "content/storytime.webm";
  sc.item_started = kNow - std::chrono::seconds(5);
  sc.last_presented = kNow;
  sc.transitions = 12;
  sc.last_gap_ms = 16.6667;
  sc.max_gap_ms = 33.3333;
  h.screens.push_back(sc);
  h.presence = PresenceLevel::kSome;
  h.feeds.push_back({"events", kNow - std::chrono::minutes(3), false});
  h.feeds.push_back({"catalogue", std::nullopt, true});
  h.outbox_depth = 2;
  h.sensors.cpu_temperature_c = 51.2;
  h.sensors.throttled = 0x50000;
  return h;
}

TEST(Telemetry, HeartbeatCarriesTheDocumentedFields) {
  json j = json::parse(heartbeat_payload(identity(), health(), {7, 3}, kNow));
  EXPECT_EQ(j["branch"], "central");
  EXPECT_EQ(j["version"], "1.4.0");
  EXPECT_EQ(j["at"], "2026-03-02T09:00:00+00:00");
  EXPECT_EQ(j["uptime_s"], 7200);
  EXPECT_EQ(j["healthy"], true);
  EXPECT_EQ(j["clock_trusted"], true);
  ASSERT_EQ(j["screens"].size(), 1u);
  const json& sc = j["screens"][0];
  EXPECT_EQ(sc["screen"], "entrance");
  EXPECT_EQ(sc["mode"], "item");
  EXPECT_EQ(sc["rule"], "Storytime mornings");
  EXPECT_EQ(sc["kind"], "video");
  EXPECT_EQ(sc["item"], "content/storytime.webm");
  EXPECT_EQ(sc["item_started"], "2026-03-02T08:59:55+00:00");
  EXPECT_EQ(sc["transitions"], 12);
  EXPECT_DOUBLE_EQ(sc["max_gap_ms"].get<double>(), 33.333);
  EXPECT_DOUBLE_EQ(sc["frame_age_s"].get<double>(), 0.0);
  EXPECT_TRUE(sc["error"].is_null());
  EXPECT_EQ(j["presence"], "some");
  ASSERT_EQ(j["feeds"].size(), 2u);
  EXPECT_EQ(j["feeds"][0]["age_s"], 180.0);
  EXPECT_TRUE(j["feeds"][1]["age_s"].is_null());
  EXPECT_EQ(j["feeds"][1]["failing"], true);
  EXPECT_EQ(j["outbox_depth"], 2);
  EXPECT_DOUBLE_EQ(j["cpu_temperature_c"].get<double>(), 51.2);
  EXPECT_EQ(j["throttled"], 0x50000);
  EXPECT_EQ(j["buffer"]["depth"], 7);
  EXPECT_EQ(j["buffer"]["dropped"], 3);
}

TEST(Telemetry, HeartbeatOfAnUnhealthyApplianceWithoutOptionalParts) {
  HealthSnapshot h;
  h.started = kNow;
  ScreenHealth sc;
  sc.id = "children";
  sc.error = "decoder failed";
  h.screens.push_back(sc);
  json j = json::parse(heartbeat_payload(identity(), h, {}, kNow));
  EXPECT_EQ(j["healthy"], false);
  EXPECT_TRUE(j["presence"].is_null());
  EXPECT_TRUE(j["outbox_depth"].is_null());
  EXPECT_FALSE(j.contains("cpu_temperature_c"));
  EXPECT_FALSE(j.contains("throttled"));
  EXPECT_EQ(j["screens"][0]["error"], "decoder failed");
  EXPECT_TRUE(j["screens"][0]["frame_age_s"].is_null());
}

TEST(Telemetry, PlayBatchListsEveryRowInOrder) {
  std::vector<PlayLogRow> rows;
  for (int i = 0; i < 3; ++i) {
    PlayRecord r{"entrance", "default", "image", "content/p" + std::to_string(i) + ".png",
                 kNow + std::chrono::seconds(10 * i), 10.0, i ? std::optional<double>(33.4) : std::nullopt, 1.5};
    rows.push_back({100 + i, r});
  }
  json j = json::parse(play_payload(identity(), rows));
  EXPECT_EQ(j["branch"], "central");
  ASSERT_EQ(j["plays"].size(), 3u);
  EXPECT_EQ(j["plays"][0]["item"], "content/p0.png");
  EXPECT_EQ(j["plays"][0]["start"], "2026-03-02T09:00:00+00:00");
  EXPECT_TRUE(j["plays"][0]["gap_ms"].is_null());
  EXPECT_EQ(j["plays"][2]["start"], "2026-03-02T09:00:20+00:00");
  EXPECT_EQ(j["plays"][2]["gap_ms"], 33.4);
  EXPECT_EQ(j["plays"][2]["seconds"], 10.0);
  EXPECT_EQ(j["plays"][2]["late_ms"], 1.5);
}

TEST(Telemetry, PresencePeriodsSuppressSmallCounts) {
  TimePoint s = kNow, e = kNow + std::chrono::minutes(15);
  std::vector<PresencePeriod> rows = {{s, e, "children", 2, 3, 30},
                                   {s, e, "entrance", 0, 1, 30},
                                   {e, e + std::chrono::minutes(15), "children", 5, 9, 30}};
  auto payloads = presence_payloads(identity(), rows);
  ASSERT_EQ(payloads.size(), 2u);
  json a = json::parse(payloads[0]);
  EXPECT_EQ(a["start"], "2026-03-02T09:00:00+00:00");
  EXPECT_EQ(a["end"], "2026-03-02T09:15:00+00:00");
  EXPECT_EQ(a["min_reported"], 3);
  ASSERT_EQ(a["screens"].size(), 2u);
  EXPECT_EQ(a["screens"][0]["devices"], "<3");
  EXPECT_EQ(a["screens"][0]["peak"], 3);
  EXPECT_EQ(a["screens"][1]["devices"], "<3");
  EXPECT_EQ(a["screens"][1]["peak"], "<3");
  json b = json::parse(payloads[1]);
  EXPECT_EQ(b["screens"][0]["devices"], 5);
  EXPECT_EQ(b["screens"][0]["peak"], 9);
  EXPECT_EQ(b["screens"][0]["samples"], 30);
}

TEST(Telemetry, SequenceIsAddedAsTheFirstMember) {
  EXPECT_EQ(with_sequence(R"({"branch":"x"})", 42), R"({"seq":42,"branch":"x"})");
  EXPECT_EQ(with_sequence("{}", 7), R"({"seq":7})");
  json j = json::parse(with_sequence(play_payload(identity(), {}), 9));
  EXPECT_EQ(j["seq"], 9);
  EXPECT_EQ(j["branch"], "central");
}

TEST(Telemetry, TopicsAreOneLevelPerPart) {
  EXPECT_EQ(telemetry_topic("branchcast", "central", "heartbeat"), "branchcast/central/heartbeat");
  EXPECT_EQ(telemetry_topic("fleet/eu", "a/b+#", "play"), "fleet/eu/a_b__/play");
  EXPECT_EQ(telemetry_topic("b", "", "presence"), "b/unnamed/presence");
}

TEST(Telemetry, AddressShapedTextIsRedacted) {
  EXPECT_EQ(redact_addresses("Lost phone DC:A6:32:01:02:03 at desk"), "Lost phone [redacted] at desk");
  EXPECT_EQ(redact_addresses("dc-a6-32-01-02-03"), "[redacted]");
  EXPECT_EQ(redact_addresses("a:DC:A6:32:01:02:03:04"), "a:DC:A6:32:01:02:03:04");  // seven groups: not a MAC
  EXPECT_EQ(redact_addresses("sha 0123456789abcdef0123"), "sha 0123456789abcdef0123");
  EXPECT_EQ(redact_addresses("10:30-11:00 storytime"), "10:30-11:00 storytime");
  HealthSnapshot h = health();
  h.screens[0].item = "Find 00:1A:7D:DA:71:13 here";
  std::string p = heartbeat_payload(identity(), h, {}, kNow);
  EXPECT_EQ(p.find("00:1A:7D"), std::string::npos) << p;
}

TEST(TelemetrySchedule, CollectsEveryPeriodAndBacksOffWithJitterWhileTheBrokerIsDown) {
  TelemetrySchedule s(Duration(60'000), BackoffPolicy{Duration(2'000), Duration(60'000)});
  s.start(kNow);
  EXPECT_TRUE(s.collect_due(kNow));
  s.collected(kNow);
  EXPECT_FALSE(s.collect_due(kNow + std::chrono::seconds(59)));
  EXPECT_TRUE(s.collect_due(kNow + std::chrono::seconds(60)));
  EXPECT_FALSE(s.publish_due(kNow, 0));
  ASSERT_TRUE(s.publish_due(kNow, 3));
  s.publishing();
  EXPECT_FALSE(s.publish_due(kNow, 3));  // one attempt at a time
  EXPECT_EQ(s.next_deadline(3), kNow + std::chrono::seconds(60));

  // Failures: the ceiling doubles (2 s, 4 s, 8 s ...) up to the cap; unit picks within it.
  TimePoint t = kNow;
  std::vector<int64_t> waits;
  for (int i = 0; i < 8; ++i) {
    s.published(false, t, 0.999);
    waits.push_back((s.next_publish() - t).count());
    EXPECT_FALSE(s.publish_due(t, 3));
    t = s.next_publish();
    ASSERT_TRUE(s.publish_due(t, 3));
    s.publishing();
  }
  EXPECT_NEAR(waits[0], 1998, 2);
  EXPECT_NEAR(waits[1], 3996, 4);
  EXPECT_NEAR(waits[4], 31968, 32);
  EXPECT_NEAR(waits[7], 59940, 60);  // capped
  s.published(false, t, 0.0);        // jitter of 0 still waits the floor
  EXPECT_EQ(s.next_publish() - t, Duration(1'000));
  EXPECT_EQ(s.consecutive_failures(), 9);
  t = s.next_publish();
  s.publishing();
  s.published(true, t, 0.5);
  EXPECT_EQ(s.consecutive_failures(), 0);
  EXPECT_TRUE(s.publish_due(t, 1));
}

TEST(TelemetrySchedule, AClockStepKeepsTheWaitLeft) {
  TelemetrySchedule s(Duration(60'000), BackoffPolicy{Duration(2'000), Duration(60'000)});
  s.start(kNow);
  s.collected(kNow);
  s.publishing();
  s.published(false, kNow, 0.999);  // the next publish waits ~2 s
  TimePoint publish = s.next_publish();
  TimePoint back = kNow + std::chrono::seconds(10) - std::chrono::hours(3);
  s.clock_stepped(back - (kNow + std::chrono::seconds(10)));
  EXPECT_EQ(s.next_deadline(0), back + std::chrono::seconds(50));  // the heartbeat 50 s on, not 3 h
  EXPECT_TRUE(s.collect_due(back + std::chrono::seconds(50)));
  EXPECT_EQ(s.next_publish(), publish - std::chrono::hours(3));
  EXPECT_TRUE(s.publish_due(publish - std::chrono::hours(3), 1));
}

}  // namespace
}  // namespace branchcast
