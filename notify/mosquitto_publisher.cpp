// MqttPublisher over libmosquitto: connect, publish, wait for PUBACK/PUBCOMP, disconnect.
#include <mosquitto.h>

#include <chrono>
#include <mutex>

#include "notify/mqtt.h"

namespace branchcast {
namespace {

struct PublishState {
  int mid = -1;
  bool published = false;
  bool connected = false;
  int connect_rc = -1;
};

class MosquittoPublisher final : public MqttPublisher {
 public:
  MosquittoPublisher() {
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
  }

  Status publish(const MqttMessage& m) override {
    std::string where = "mqtt " + m.host + ":" + std::to_string(m.port);
    PublishState st;
    mosquitto* mosq = mosquitto_new(nullptr, true, &st);
    if (!mosq) return make_error(where + ": cannot create a client");
    struct Guard {
      mosquitto* m;
      ~Guard() { mosquitto_destroy(m); }
    } guard{mosq};
    mosquitto_connect_callback_set(mosq, [](mosquitto*, void* u, int rc) {
      auto* s = static_cast<PublishState*>(u);
      s->connect_rc = rc;
      s->connected = rc == 0;
    });
    mosquitto_publish_callback_set(mosq, [](mosquitto*, void* u, int mid) {
      auto* s = static_cast<PublishState*>(u);
      if (mid == s->mid) s->published = true;
    });
    if (!m.username.empty() &&
        mosquitto_username_pw_set(mosq, m.username.c_str(), m.password.empty() ? nullptr : m.password.c_str()) !=
            MOSQ_ERR_SUCCESS)
      return make_error(where + ": cannot set credentials");
    if (m.tls && mosquitto_tls_set(mosq, nullptr, "/etc/ssl/certs", nullptr, nullptr, nullptr) != MOSQ_ERR_SUCCESS)
      return make_error(where + ": cannot enable TLS");
    int rc = mosquitto_connect(mosq, m.host.c_str(), m.port, 30);
    if (rc != MOSQ_ERR_SUCCESS) return make_error(where + ": cannot connect: " + mosquitto_strerror(rc));
    auto deadline = std::chrono::steady_clock::now() + m.timeout;
    bool sent = false;
    while (std::chrono::steady_clock::now() < deadline) {
      rc = mosquitto_loop(mosq, 100, 1);
      if (rc != MOSQ_ERR_SUCCESS) return make_error(where + ": connection lost: " + mosquitto_strerror(rc));
      if (st.connect_rc > 0) return make_error(where + ": broker refused the connection: " +
                                               mosquitto_connack_string(st.connect_rc));
      if (st.connected && !sent) {
        rc = mosquitto_publish(mosq, &st.mid, m.topic.c_str(), static_cast<int>(m.payload.size()),
                               m.payload.data(), m.qos, m.retain);
        if (rc != MOSQ_ERR_SUCCESS) return make_error(where + ": publish failed: " + mosquitto_strerror(rc));
        sent = true;
      }
      if (st.published) {
        mosquitto_disconnect(mosq);
        mosquitto_loop(mosq, 100, 1);
        return {};
      }
    }
    return make_error(where + ": timed out waiting for the broker");
  }
};

}  // namespace

std::unique_ptr<MqttPublisher> make_mosquitto_publisher() { return std::make_unique<MosquittoPublisher>(); }

}  // namespace branchcast
