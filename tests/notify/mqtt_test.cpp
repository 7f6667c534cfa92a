// MQTT publish through a real mosquitto broker started on a free loopback port.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "notify/sender.h"
#include "tests/notify/fakes/test_secrets.h"
#include "tests/notify/support/child_process.h"
#include "tests/notify/support/loopback_http_server.h"

namespace branchcast {
namespace {

const TimePoint kNow = TimePoint(std::chrono::seconds(1772442000));

TEST(Mqtt, PublishesToTheBroker) {
  int port = test::free_loopback_port();
  auto dir = std::filesystem::temp_directory_path() / ("bc-mqtt-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string conf = (dir / "mosquitto.conf").string();
  std::ofstream(conf) << "listener " << port << " 127.0.0.1\nallow_anonymous true\npersistence false\n";
  test::ChildProcess broker({"/usr/sbin/mosquitto", "-c", conf});
  ASSERT_TRUE(test::wait_for_port(port));

  auto http = make_curl_http_client();
  auto mqtt = make_mosquitto_publisher();
  Sender s(*http, mqtt.get(), test::secrets_of({}), {}, system_random_bytes());
  Notification n;
  n.title = "Fleet";
  n.message = "central: 3 prompts sent";
  n.priority = 2;
  // Retained, so a subscriber started afterwards receives it (no race with the subscription).
  auto r = s.send({"mqtt://127.0.0.1:" + std::to_string(port) + "/branchcast/central?retain=1", {}}, n, kNow);
  ASSERT_EQ(r.outcome, SendOutcome::kDelivered) << r.detail;
  std::string got = test::run_capture("/usr/bin/mosquitto_sub -h 127.0.0.1 -p " + std::to_string(port) +
                                      " -t branchcast/central -C 1 -W 5");
  auto j = nlohmann::json::parse(got);
  EXPECT_EQ(j["title"], "Fleet");
  EXPECT_EQ(j["message"], "central: 3 prompts sent");
  EXPECT_EQ(j["priority"], 2);
  EXPECT_EQ(j["at"], "2026-03-02T09:00:00+00:00");
  std::filesystem::remove_all(dir);
}

TEST(Mqtt, BrokerDownIsTransientAndNamesNoPassword) {
  int port = test::free_loopback_port();
  auto http = make_curl_http_client();
  auto mqtt = make_mosquitto_publisher();
  Sender s(*http, mqtt.get(), test::secrets_of({{"MQTT_PASS", "mq-secret-77"}}), {}, system_random_bytes());
  Notification n;
  n.message = "x";
  auto r = s.send({"mqtt://fleet:${MQTT_PASS}@127.0.0.1:" + std::to_string(port) + "/t", {}}, n, kNow);
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_NE(r.detail.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << r.detail;
  EXPECT_EQ(r.detail.find("mq-secret-77"), std::string::npos);
}

TEST(Mqtt, TopicsWithWildcardsAreRefused) {
  auto http = make_curl_http_client();
  auto mqtt = make_mosquitto_publisher();
  Sender s(*http, mqtt.get(), test::secrets_of({}), {}, system_random_bytes());
  auto r = s.send({"mqtt://127.0.0.1:1/a/%23", {}}, Notification{}, kNow);
  EXPECT_EQ(r.outcome, SendOutcome::kPermanent);
}

}  // namespace
}  // namespace branchcast
