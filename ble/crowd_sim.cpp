#include "ble/crowd_sim.h"

#include <cmath>
#include <cstdlib>
#include <memory>
#include <random>
#include <vector>

namespace branchcast::ble {
namespace {

struct Visitor {
  int64_t arrive_s = 0;
  int64_t leave_s = 0;
  double mean_rssi = 0;
  bool near = false;
  int64_t phase_s = 0;
  int64_t address_slot = -1;
  std::array<uint8_t, 6> address{};
};

std::array<uint8_t, 6> random_address(std::mt19937_64& rng) {
  std::array<uint8_t, 6> a{};
  const uint64_t r = rng();
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(r >> (8 * i));
  a[0] = static_cast<uint8_t>((a[0] & 0x3F) | 0x40);  // resolvable private address: top bits 01
  return a;
}

}  // namespace

size_t run_crowd(const CrowdOptions& o, const std::function<void(const SimSighting&)>& on_sighting,
                 const std::function<void(TimePoint, int)>& on_second) {
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, o.rssi_noise_db);
  const int64_t total_s = o.length.count() / 1000;
  const double mean_dwell_s = o.mean_dwell.count() / 1000.0;
  const int64_t rotation_s = std::max<int64_t>(1, o.rotation.count() / 1000);

  // Arrivals (Poisson) over the whole run, generated up front.
  std::vector<Visitor> visitors;
  const double rate_s = o.arrivals_per_hour / 3600.0;
  double t = 0;
  while (rate_s > 0) {
    t += -std::log(1.0 - unit(rng)) / rate_s;
    if (t >= static_cast<double>(total_s)) break;
    Visitor v;
    v.arrive_s = static_cast<int64_t>(t);
    v.leave_s = v.arrive_s + std::max<int64_t>(60, static_cast<int64_t>(-std::log(1.0 - unit(rng)) * mean_dwell_s));
    v.near = unit(rng) < o.near_share;
    const double lo = v.near ? o.near_rssi_min : o.far_rssi_min;
    const double hi = v.near ? o.near_rssi_max : o.far_rssi_max;
    v.mean_rssi = lo + (hi - lo) * unit(rng);
    v.phase_s = static_cast<int64_t>(unit(rng) * static_cast<double>(rotation_s));
    visitors.push_back(v);
  }

  size_t addresses = 0;
  size_t first_active = 0;
  for (int64_t s = 0; s < total_s; ++s) {
    const TimePoint now = o.start + std::chrono::seconds(s);
    int truth = 0;
    while (first_active < visitors.size() && visitors[first_active].leave_s <= s) ++first_active;
    for (size_t i = first_active; i < visitors.size() && visitors[i].arrive_s <= s; ++i) {
      Visitor& v = visitors[i];
      if (s >= v.leave_s) continue;
      if (v.near) ++truth;
      const int64_t slot = (s + v.phase_s) / rotation_s;
      if (slot != v.address_slot) {
        v.address_slot = slot;
        v.address = random_address(rng);
        ++addresses;
      }
      if (unit(rng) < o.loss) continue;
      // A phone advertises roughly every second; jitter within the second.
      const auto jitter = std::chrono::milliseconds(static_cast<int64_t>(unit(rng) * 999));
      on_sighting(SimSighting{v.address, static_cast<int>(std::lround(v.mean_rssi + noise(rng))), now + jitter});
    }
    on_second(now, truth);
  }
  return addresses;
}

CrowdAccuracy measure_crowd(const CrowdOptions& crowd, const PresenceOptions& presence) {
  auto salt_rng = std::make_shared<std::mt19937_64>(crowd.seed ^ 0x5a17);
  AddressHasher hasher(presence.window, [salt_rng](uint8_t* d, size_t n) {
    for (size_t i = 0; i < n; ++i) d[i] = static_cast<uint8_t>((*salt_rng)());
  });
  PresenceCounter counter(presence);
  CrowdAccuracy acc;
  double sum_abs = 0, sum_diff = 0, sum_truth = 0, sum_count = 0;
  int samples = 0;
  const TimePoint warm = crowd.start + presence.window;
  acc.addresses = run_crowd(
      crowd,
      [&](const SimSighting& s) {
        ++acc.sightings;
        counter.observe(hasher.hash(std::string_view(reinterpret_cast<const char*>(s.address.data()), s.address.size()), s.at),
                        s.rssi, s.at);
      },
      [&](TimePoint now, int truth) {
        if (now < warm || (now - crowd.start) % std::chrono::minutes(1) != Duration(0)) return;
        const int c = counter.count(now + std::chrono::milliseconds(999));
        sum_abs += std::abs(c - truth);
        sum_diff += c - truth;
        sum_truth += truth;
        sum_count += c;
        ++samples;
      });
  if (samples > 0) {
    acc.mae = sum_abs / samples;
    acc.bias = sum_diff / samples;
    acc.mean_truth = sum_truth / samples;
    acc.mean_count = sum_count / samples;
  }
  acc.handoffs = counter.handoffs();
  return acc;
}

}  // namespace branchcast::ble
