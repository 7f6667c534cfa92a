// MQTT publish for fleet dashboards: the MqttPublisher port and a pure message builder.
// The real publisher is notify/mosquitto_publisher.cpp (target branchcast_notify_mosquitto).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "notify/message.h"
#include "notify/provider_url.h"

namespace branchcast {

struct MqttMessage {
  std::string host;
  int port = 1883;
  bool tls = false;
  std::string username;
  std::string password;  // secret
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retain = false;
  Duration timeout{10'000};
};

// How far publish_in_order got: the first `acknowledged` messages were acknowledged by the
// broker; `status` is the error that stopped the rest (ok when all were).
struct MqttBatchResult {
  size_t acknowledged = 0;
  Status status;
};

// Publishes one message and waits until the broker acknowledged it (QoS 1) or timeout. Errors
// name host:port and the cause, never the password. Blocking; called from a worker thread.
class MqttPublisher {
 public:
  virtual ~MqttPublisher() = default;
  virtual Status publish(const MqttMessage& message) = 0;
  // Publishes `messages` (all for the broker and credentials of the first) strictly in order:
  // each is sent only after the previous one was acknowledged. Stops at the first failure.
  // The default publishes them one by one; adapters may share one connection.
  virtual MqttBatchResult publish_in_order(const std::vector<MqttMessage>& messages);
};

// The broker, credentials, topic, qos and retain of an mqtt(s):// target, with an empty payload.
// Errors name t.display: bad port, no topic, a + or # in the topic, qos not 0, 1 or 2.
Result<MqttMessage> mqtt_endpoint(const ProviderTarget& t);

// mqtt://[user:${PASS}@]broker[:1883]/topic/levels[?qos=0|1|2&retain=1]; the payload is JSON
// {"title", "message", "priority", "tags", "click", "at"}.
Result<MqttMessage> build_mqtt_message(const ProviderTarget& t, const Notification& n, TimePoint now);

// libmosquitto, thread-safe (one client per publish / publish_in_order call). Target branchcast_notify_mosquitto.
std::unique_ptr<MqttPublisher> make_mosquitto_publisher();

}  // namespace branchcast
