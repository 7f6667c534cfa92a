// MqttPublisher over libmosquitto: connect, publish each message and wait for its PUBACK/PUBCOMP
// before the next, disconnect.
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

  Status publish(const MqttMessage& m) override { return publish_in_order({m}).status; }

  MqttBatchResult publish_in_order(const std::vector<MqttMessage>& messages) override {
    MqttBatchResult r;
    if (messages.empty()) return r;
    const MqttMessage& first = messages.front();
    std::string where = "mqtt " + first.host + ":" + std::to_string(first.port);
    auto fail = [&](const std::string& why) {
      r.status = make_error(where + ": " + why);
      return r;
    };
    PublishState st;
    mosquitto* mosq = mosquitto_new(nullptr, true, &st);
    if (!mosq) return fail("cannot create a client");
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
    if (!first.username.empty() &&
        mosquitto_username_pw_set(mosq, first.username.c_str(),
                                  first.password.empty() ? nullptr : first.password.c_str()) != MOSQ_ERR_SUCCESS)
      return fail("cannot set credentials");
    if (first.tls &&
        mosquitto_tls_set(mosq, nullptr, "/etc/ssl/certs", nullptr, nullptr, nullptr) != MOSQ_ERR_SUCCESS)
      return fail("cannot enable TLS");
    int rc = mosquitto_connect(mosq, first.host.c_str(), first.port, 30);
    if (rc != MOSQ_ERR_SUCCESS) return fail(std::string("cannot connect: ") + mosquitto_strerror(rc));
    for (const MqttMessage& m : messages) {
      // Each message gets its own timeout, counted from when the previous one was acknowledged.
      auto deadline = std::chrono::steady_clock::now() + m.timeout;
      bool sent = false;
      st.published = false;
      while (!st.published) {
        if (st.connected && !sent) {  // before waiting in the loop: the next message goes out at once
          rc = mosquitto_publish(mosq, &st.mid, m.topic.c_str(), static_cast<int>(m.payload.size()),
                                 m.payload.data(), m.qos, m.retain);
          if (rc != MOSQ_ERR_SUCCESS) return fail(std::string("publish failed: ") + mosquitto_strerror(rc));
          sent = true;
        }
        if (std::chrono::steady_clock::now() >= deadline) return fail("timed out waiting for the broker");
        rc = mosquitto_loop(mosq, 100, 1);
        if (rc != MOSQ_ERR_SUCCESS) return fail(std::string("connection lost: ") + mosquitto_strerror(rc));
        if (st.connect_rc > 0)
          return fail(std::string("broker refused the connection: ") + mosquitto_connack_string(st.connect_rc));
      }
      ++r.acknowledged;
    }
    mosquitto_disconnect(mosq);
    mosquitto_loop(mosq, 100, 1);
    return r;
  }
};

}  // namespace

std::unique_ptr<MqttPublisher> make_mosquitto_publisher() { return std::make_unique<MosquittoPublisher>(); }

}  // namespace branchcast
