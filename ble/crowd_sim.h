// A simulated crowd near one screen (pure, deterministic for a seed): the ground truth for the
// presence counter's accuracy figures (tests/ble, bench/ble, docs/ble.md).
//
// Visitors arrive as a Poisson process and stay for an exponentially distributed dwell (at least a
// minute). A share of them stays near the screen (mean RSSI uniform in [near_rssi_min, near_rssi_max]);
// the rest pass by further away (mean RSSI uniform in [far_rssi_min, far_rssi_max]). Each phone
// advertises about once a second under a random resolvable address it replaces every `rotation`
// (with a random phase); the scanner misses `loss` of the adverts; each heard advert has Gaussian
// RSSI noise. Ground truth at a second = visitors who are near and inside their visit.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "ble/presence.h"
#include "common/time.h"

namespace branchcast::ble {

struct CrowdOptions {
  uint64_t seed = 1;
  TimePoint start{std::chrono::seconds(1'767'600'000)};
  Duration length{4 * 3'600'000};
  double arrivals_per_hour = 60;
  Duration mean_dwell{20 * 60'000};
  double near_share = 0.7;
  int near_rssi_min = -70, near_rssi_max = -50;
  int far_rssi_min = -98, far_rssi_max = -82;
  Duration rotation{15 * 60'000};
  double rssi_noise_db = 4;
  double loss = 0.3;
};

struct SimSighting {
  std::array<uint8_t, 6> address{};
  int rssi = 0;
  TimePoint at;
};

// Runs the crowd second by second: on_sighting for every heard advert, then on_second with the
// ground truth for that second. Returns the number of distinct addresses used.
size_t run_crowd(const CrowdOptions& options, const std::function<void(const SimSighting&)>& on_sighting,
                 const std::function<void(TimePoint, int truth)>& on_second);

struct CrowdAccuracy {
  double mean_truth = 0;
  double mean_count = 0;
  double mae = 0;           // mean |count - truth| over one sample a minute
  double bias = 0;          // mean (count - truth)
  size_t addresses = 0;
  size_t sightings = 0;
  uint64_t handoffs = 0;
};

// Feeds the crowd through AddressHasher (salt rotating every window) and a PresenceCounter and
// compares count() with the truth once a simulated minute (after the first window).
CrowdAccuracy measure_crowd(const CrowdOptions& crowd, const PresenceOptions& presence);

}  // namespace branchcast::ble
