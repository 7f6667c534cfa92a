#include "tests/services/telemetry_harness.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/notify/support/loopback_http_server.h"

namespace branchcast::test {

std::string scratch_dir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  auto dir = std::filesystem::path(tmp ? tmp : std::filesystem::temp_directory_path().string()) /
             ("bc-fleet-" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

MqttBroker::MqttBroker(std::string dir) : dir_(std::move(dir)), port_(free_loopback_port()) {
  std::ofstream(dir_ + "/mosquitto.conf") << "listener " << port_ << " 127.0.0.1\nallow_anonymous true\n"
                                          << "persistence false\n";
}

void MqttBroker::start() {
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{"/usr/sbin/mosquitto", "-c", dir_ + "/mosquitto.conf"});
  if (!wait_for_port(port_)) throw std::runtime_error("mosquitto did not start on port " + std::to_string(port_));
}

void MqttBroker::stop() { process_.reset(); }

std::string MqttBroker::url(const std::string& userinfo) const {
  return "mqtt://" + (userinfo.empty() ? "" : userinfo + "@") + "127.0.0.1:" + std::to_string(port_) + "/fleet";
}

MqttSubscriber::MqttSubscriber(const MqttBroker& broker, std::string dir)
    : broker_(broker), file_(dir + "/received.txt") {}

void MqttSubscriber::start() {
  std::string port = std::to_string(broker_.port());
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      "/bin/sh", "-c",
      "exec /usr/bin/mosquitto_sub -h 127.0.0.1 -p " + port + " -q 1 -v -t 'fleet/#' >> '" + file_ + "'"});
  // Subscribed once a probe comes through.
  for (int i = 0; i < 100; ++i) {
    (void)run_capture("/usr/bin/mosquitto_pub -h 127.0.0.1 -p " + port + " -q 1 -t fleet/probe -m probe");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream in(file_);
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str().find("fleet/probe probe") != std::string::npos) return;
  }
  throw std::runtime_error("mosquitto_sub did not subscribe");
}

void MqttSubscriber::stop() { process_.reset(); }

std::vector<ReceivedMessage> MqttSubscriber::received() const {
  std::vector<ReceivedMessage> out;
  std::ifstream in(file_);
  std::string line;
  while (std::getline(in, line)) {
    auto space = line.find(' ');
    if (space == std::string::npos) continue;
    ReceivedMessage m{line.substr(0, space), line.substr(space + 1)};
    if (m.topic != "fleet/probe") out.push_back(std::move(m));
  }
  return out;
}

std::vector<ReceivedMessage> MqttSubscriber::wait_for(size_t n, double seconds) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    auto got = received();
    if (got.size() >= n || std::chrono::steady_clock::now() >= deadline) return got;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

FleetTelemetry::Post PostedQueue::poster() {
  return [mu = mu_, cv = cv_, q = q_](std::function<void()> fn) {
    {
      std::lock_guard<std::mutex> lock(*mu);
      q->push_back(std::move(fn));
    }
    cv->notify_all();
  };
}

bool PostedQueue::run_one(double seconds) {
  std::function<void()> fn;
  {
    std::unique_lock<std::mutex> lock(*mu_);
    if (!cv_->wait_for(lock, std::chrono::duration<double>(seconds), [&] { return !q_->empty(); })) return false;
    fn = std::move(q_->front());
    q_->pop_front();
  }
  fn();
  return true;
}

void settle(FleetTelemetry& t, PostedQueue& loop, TimePoint now, const HealthSnapshot& health) {
  t.health_from([health](TimePoint) { return health; });
  for (int i = 0; i < 10'000; ++i) {
    if (now >= t.next_deadline(now)) t.tick(Turn{now, {}});
    if (t.publishing()) {
      if (!loop.run_one()) throw std::runtime_error("the publish never came back");
      continue;
    }
    if (now < t.next_deadline(now)) return;
  }
  throw std::runtime_error("telemetry did not settle");
}

}  // namespace branchcast::test
