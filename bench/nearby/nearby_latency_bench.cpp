// Scenario benchmark: a recognised patron's sighting to the provider's request on loopback.
//
// The product path without the radio: an Eddystone-EID advert (as the BlueZ adapter would post it)
// goes into ble::PresenceService with the EidResolver; the recognised patron goes to NearbyPrompts,
// which ranks (recommender, patron mode), queues in the SQLite outbox (fsync'd) and sends to an
// ntfy-like server on 127.0.0.1. Latency = sighting handed to the presence service -> request
// received by the server. Baseline in the same run: the bare HTTP send of the same request
// (HttpClient straight to the server), to show what the outbox, policy and ranking add.
// Usage: bench_nearby_latency [PATRONS]   (default 200; each patron is prompted once per day)
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <vector>

#include "appliance/nearby_prompts.h"
#include "ble/advert.h"
#include "ble/eid.h"
#include "ble/presence_service.h"
#include "common/http_client.h"
#include "notify/mqtt.h"
#include "recommend/model.h"
#include "tests/notify/support/loopback_http_server.h"

using namespace branchcast;
using SteadyClock = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

}  // namespace

int main(int argc, char** argv) {
  const int patrons = argc > 1 ? std::atoi(argv[1]) : 200;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<SteadyClock::time_point> arrivals;
  test::LoopbackHttpServer server([&](const test::RecordedRequest&) {
    std::lock_guard lock(mu);
    arrivals.push_back(SteadyClock::now());
    cv.notify_all();
    return test::Reply{};
  });

  auto dir = std::filesystem::temp_directory_path() / ("bc-nearby-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::mt19937 rng(42);
  std::vector<ble::EidEnrollment> keys;
  std::ofstream yaml(dir / "patrons.yaml");
  for (int i = 0; i < patrons; ++i) {
    ble::EidEnrollment e;
    std::string hex;
    for (auto& b : e.key) {
      b = static_cast<uint8_t>(rng());
      char buf[3];
      std::snprintf(buf, sizeof buf, "%02x", b);
      hex += buf;
    }
    e.epoch = 1767225600;
    e.rotation = 10;
    keys.push_back(e);
    yaml << "- id: p-" << i << "\n  key: " << hex << "\n  epoch: 1767225600\n  rotation: 10\n  notify: ntfy://"
         << server.authority() << "/topic-" << i << "\n  interests: { authors: [\"Ann Cleeves\"] }\n";
  }
  yaml.close();

  ApplianceSettings settings;
  settings.branch.id = "bench";
  settings.branch.name = "Bench Library";
  settings.branch.timezone = "UTC";  // no opening hours given: always open
  settings.notifications.patrons = "file:" + (dir / "patrons.yaml").string();
  settings.notifications.max_per_patron_per_day = 1;
  settings.presence.enabled = true;
  settings.presence.rssi_threshold = -90;
  NullLogSink log;
  std::unique_ptr<HttpClient> prompts_http = make_curl_http_client();
  auto nearby = NearbyPrompts::start(settings, (dir / "branchcast.db").string(), log,
                                     {*prompts_http, [] { return make_mosquitto_publisher(); }});
  if (!nearby) {
    std::fprintf(stderr, "%s\n", nearby.error().to_string().c_str());
    return 1;
  }
  Catalogue catalogue;
  CatalogueTitle t;
  t.id = "isbn:9780330440868";
  t.title = "The Raven Black";
  t.authors = {"Ann Cleeves"};
  catalogue.titles.push_back(t);
  TimePoint now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  auto model = std::make_shared<const RecommenderModel>(build_model(catalogue, now));

  ble::EidResolver resolver((*nearby)->enrollments());
  std::vector<double> latency_ms;
  ble::PresenceService presence("entrance", settings.presence, settings.beacon, {}, &resolver,
                                [&](size_t patron, TimePoint at) {
                                  (*nearby)->patron_seen(patron, at, model);
                                  (*nearby)->tick(Turn{at, {}});
                                });
  for (int i = 0; i < patrons; ++i) {
    // One sighting every 6 s of (simulated) time: the provider's token bucket refills one per 6 s.
    TimePoint at = now + std::chrono::seconds(6) * i;
    auto counter = static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count() -
                                         keys[i].epoch);
    ble::EddystoneEidFrame frame;
    frame.eid = ble::compute_eid(keys[i].key, counter, keys[i].rotation);
    auto payload = ble::encode_ad({ble::encode_service_data16(0xFEAA, ble::eddystone_eid_data(frame))});
    ble::RadioSighting s;
    s.device.current[0] = static_cast<uint8_t>(i);
    s.device.current[1] = static_cast<uint8_t>(i >> 8);
    s.rssi = -50;
    s.payload = *payload;
    s.at = at;
    size_t before;
    {
      std::lock_guard lock(mu);
      before = arrivals.size();
    }
    auto start = SteadyClock::now();
    presence.on_sighting(s);
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(10), [&] { return arrivals.size() > before; })) {
      std::fprintf(stderr, "patron %d: no request within 10 s\n", i);
      return 1;
    }
    latency_ms.push_back(std::chrono::duration<double, std::milli>(arrivals.back() - start).count());
  }

  // Baseline: the same POST straight through the HttpClient.
  auto http = make_curl_http_client();
  std::vector<double> bare_ms;
  for (int i = 0; i < patrons; ++i) {
    HttpRequest req;
    req.method = "POST";
    req.url = server.url() + "/baseline";
    req.body = "The Raven Black";
    auto start = SteadyClock::now();
    auto r = http->perform(req);
    if (!r || r->status != 200) {
      std::fprintf(stderr, "baseline request failed: %s\n", r ? std::to_string(r->status).c_str() : r.error().message.c_str());
      return 1;
    }
    bare_ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count());
  }
  std::printf("sighting of a recognised patron -> provider request on loopback, %d patrons:\n", patrons);
  std::printf("  p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", percentile(latency_ms, 0.5), percentile(latency_ms, 0.99),
              percentile(latency_ms, 1.0));
  std::printf("baseline, the bare HTTP POST: p50 %.2f ms, p99 %.2f ms\n", percentile(bare_ms, 0.5),
              percentile(bare_ms, 0.99));
  std::printf("ratio p50 (whole path / bare send): %.1fx\n", percentile(latency_ms, 0.5) / percentile(bare_ms, 0.5));
  nearby->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
