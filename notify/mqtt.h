// MQTT publish for fleet dashboards: the MqttPublisher port and a pure message builder.
// The real publisher is notify/mosquitto_publisher.cpp (target branchcast_notify_mosquitto).
#pragma once

#include <memory>
#include <string>

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

// Publishes one message and waits until the broker acknowledged it (QoS 1) or timeout. Errors
// name host:port and the cause, never the password. Blocking; called from a worker thread.
class MqttPublisher {
 public:
  virtual ~MqttPublisher() = default;
  virtual Status publish(const MqttMessage& message) = 0;
};

// mqtt://[user:${PASS}@]broker[:1883]/topic/levels[?qos=0|1|2&retain=1]; the payload is JSON
// {"title", "message", "priority", "tags", "click", "at"}.
Result<MqttMessage> build_mqtt_message(const ProviderTarget& t, const Notification& n, TimePoint now);

// libmosquitto, thread-safe (one client per publish). Target branchcast_notify_mosquitto.
std::unique_ptr<MqttPublisher> make_mosquitto_publisher();

}  // namespace branchcast
