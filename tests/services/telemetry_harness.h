// Test harness for fleet telemetry: a real mosquitto on 127.0.0.1 that can be stopped and started
// again on the same port, a mosquitto_sub subscriber writing what it receives to a file, and a
// stand-in for the loop thread (the test thread runs what the worker posts).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "services/fleet_telemetry.h"
#include "tests/notify/support/child_process.h"

namespace branchcast::test {

class MqttBroker {
 public:
  MqttBroker(std::string dir);  // picks a free loopback port; not started
  void start();                 // returns once the port accepts connections
  void stop();
  int port() const { return port_; }
  std::string url(const std::string& userinfo = "") const;  // mqtt://[userinfo@]127.0.0.1:port/fleet

 private:
  std::string dir_;
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

struct ReceivedMessage {
  std::string topic;
  std::string payload;
};

// mosquitto_sub on "fleet/#" (QoS 1); start() returns once a probe message has come through.
class MqttSubscriber {
 public:
  MqttSubscriber(const MqttBroker& broker, std::string dir);
  void start();
  void stop();
  // Everything received except the probes, in arrival order.
  std::vector<ReceivedMessage> received() const;
  // Polls until at least `n` messages have arrived (or `seconds` passed); returns them.
  std::vector<ReceivedMessage> wait_for(size_t n, double seconds = 15) const;

 private:
  const MqttBroker& broker_;
  std::string file_;
  std::unique_ptr<ChildProcess> process_;
};

// What the worker posts waits here until the test thread runs it.
class PostedQueue {
 public:
  FleetTelemetry::Post poster();
  bool run_one(double seconds = 30);

 private:
  std::shared_ptr<std::mutex> mu_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::condition_variable> cv_ = std::make_shared<std::condition_variable>();
  std::shared_ptr<std::deque<std::function<void()>>> q_ = std::make_shared<std::deque<std::function<void()>>>();
};

// Ticks at `now` until nothing is due and no publish is in flight (waiting for the worker's
// answers on `loop`).
void settle(FleetTelemetry& t, PostedQueue& loop, TimePoint now, const HealthSnapshot& health);

// A scratch folder for one test (under TEST_TMPDIR when set).
std::string scratch_dir(const std::string& name);

}  // namespace branchcast::test
