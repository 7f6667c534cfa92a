#include "notify/mqtt.h"

#include <nlohmann/json.hpp>

#include "common/time_zone.h"

namespace branchcast {

MqttBatchResult MqttPublisher::publish_in_order(const std::vector<MqttMessage>& messages) {
  MqttBatchResult r;
  for (const auto& m : messages) {
    r.status = publish(m);
    if (!r.status) return r;
    ++r.acknowledged;
  }
  return r;
}

Result<MqttMessage> mqtt_endpoint(const ProviderTarget& t) {
  MqttMessage m;
  std::string host = t.host;
  if (auto colon = host.rfind(':'); colon != std::string::npos && host.find(']') == std::string::npos) {
    try {
      m.port = std::stoi(host.substr(colon + 1));
    } catch (...) {
      return make_error(t.display + ": port is not a number");
    }
    if (m.port <= 0 || m.port > 65535) return make_error(t.display + ": port out of range");
    host = host.substr(0, colon);
  } else if (t.tls) {
    m.port = 8883;
  }
  m.host = host;
  m.tls = t.tls;
  m.username = t.user;
  m.password = t.password;
  for (const auto& seg : t.path) m.topic += (m.topic.empty() ? "" : "/") + seg;
  if (m.topic.empty()) return make_error(t.display + ": mqtt URL needs a topic (mqtt://broker:1883/topic)");
  if (m.topic.find_first_of("+#") != std::string::npos) return make_error(t.display + ": topic may not contain + or #");
  std::string qos = t.query_or("qos", "1");
  if (qos != "0" && qos != "1" && qos != "2") return make_error(t.display + ": qos must be 0, 1 or 2");
  m.qos = qos[0] - '0';
  m.retain = t.query_or("retain", "0") == "1" || t.query_or("retain", "") == "true";
  return m;
}

Result<MqttMessage> build_mqtt_message(const ProviderTarget& t, const Notification& n, TimePoint now) {
  auto endpoint = mqtt_endpoint(t);
  if (!endpoint) return endpoint.error();
  MqttMessage m = std::move(*endpoint);
  nlohmann::json j = {{"title", n.title}, {"message", n.message}, {"priority", n.priority},
                      {"tags", n.tags},   {"click", n.click},     {"at", TimeZone::utc().format_iso(now)}};
  m.payload = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return m;
}

}  // namespace branchcast
