// Presence counter (pure): how many devices are near a screen, from salted-hash sightings.
//
// Method (docs/ble.md explains the figures):
// - Smoothing: the median of the last 5 RSSI samples of a device (robust to the single-sample
//   fades and reflections typical indoors; no model to tune).
// - Near, with hysteresis: a device becomes near when its median reaches rssi_threshold and stops
//   being near when it falls below rssi_threshold - hysteresis_db.
//   (A device's median needs its first samples: one sample at or above the threshold is enough.)
// - Present: near and seen within the last `window`. count() is the number of present devices.
// - Address rotation hand-off: while a new identity is young (first seen less than `pairing_period`
//   ago) and near, an already-near identity that fell silent no later than 5 s after the newcomer
//   was first heard and has been silent for at least `handoff_gap` (and would otherwise linger
//   until its window ends) is taken to be the same phone under its new random address and is
//   dropped; each new identity pairs at most once. Only the 8 least recently heard identities are
//   examined, so this stays O(1). This cancels most of
//   the inflation random resolvable addresses cause (a phone rotating every 15 min would otherwise
//   count twice for `window` after each rotation) at the cost of ending a departed device's
//   lingering early when someone else arrives - which makes the count closer to the truth, not
//   further. A silent identity is also linked to its successor when the salt rotates
//   (HashedAddress::previous).
// - Memory: at most max_devices identities (about 140 bytes each, measured); when full and nothing has
//   expired, new identities are not tracked (dropped() counts them) so a flood of random
//   addresses saturates the count instead of growing memory.
//
// Identities are only the truncated salted hashes from AddressHasher; nothing here is persisted.
// Not thread-safe: one owner (the loop thread). `now` is always a value.
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "ble/address_hasher.h"
#include "common/presence_period.h"
#include "common/time.h"
#include "config/settings.h"

namespace branchcast::ble {

struct PresenceOptions {
  int rssi_threshold = -75;
  int hysteresis_db = 5;
  Duration window{5 * 60'000};
  Duration handoff_gap{15'000};     // 0 disables hand-off
  Duration pairing_period{90'000};
  size_t max_devices = 20'000;
  int some_at = 1;   // level: empty below some_at present devices, some from some_at,
  int busy_at = 10;  //        busy from busy_at
};

PresenceOptions presence_options(const PresenceSettings& s);

class PresenceCounter {
 public:
  explicit PresenceCounter(PresenceOptions options);

  // One advert heard. Sightings should arrive in time order; older ones are still accepted.
  void observe(const HashedAddress& id, int rssi, TimePoint at);
  // Forgets identities not seen within the window. Call at least once a window (count() does).
  void tick(TimePoint now);
  // Present devices at `now` (prunes first).
  int count(TimePoint now);
  PresenceLevel level(TimePoint now);
  // The wall clock stepped: every device was last (and first) seen `step` later, so a device heard
  // just before a step back is forgotten after the window, not after the window and the step.
  void clock_stepped(Duration step);

  size_t tracked() const { return devices_.size(); }
  uint64_t dropped() const { return dropped_; }
  uint64_t handoffs() const { return handoffs_; }
  const PresenceOptions& options() const { return options_; }

 private:
  struct KeyHash {
    size_t operator()(const DeviceId& k) const noexcept;
  };
  struct Device {
    std::array<int8_t, 5> samples{};
    uint8_t n = 0;
    uint8_t next = 0;
    bool near = false;
    bool paired = false;
    int64_t first_seen_ms = 0;
    int64_t last_seen_ms = 0;
    std::list<DeviceId>::iterator lru;
  };
  using Map = std::unordered_map<DeviceId, Device, KeyHash>;

  Map::iterator find_or_link(const HashedAddress& id);
  void erase(Map::iterator it);
  bool try_handoff(int64_t at_ms, int64_t first_seen_ms);
  static int median(const Device& d);

  PresenceOptions options_;
  Map devices_;
  std::list<DeviceId> lru_;  // most recently seen first
  int near_count_ = 0;
  uint64_t dropped_ = 0;
  uint64_t handoffs_ = 0;
};

// Turns periodic samples of count() into one PresencePeriod (common/presence_period.h) per report
// period and screen: the mean of the samples taken in the period, rounded (the average number of
// devices present), plus the peak. Periods are aligned to multiples of report_every since the Unix
// epoch (so 15m periods start on the quarter hour in every zone with a whole-quarter-hour offset).
// Periods without samples produce nothing (the appliance was off).
class PresenceReporter {
 public:
  PresenceReporter(std::string screen, Duration report_every);
  // Records a sample at `now`; returns the periods that ended at or before `now` (0 or 1 normally).
  std::vector<PresencePeriod> sample(TimePoint now, int count);
  // The period in progress, if it has samples (for a clean shutdown).
  std::vector<PresencePeriod> flush();

 private:
  std::string screen_;
  Duration every_;
  TimePoint start_{};
  bool open_ = false;
  int64_t sum_ = 0;
  int peak_ = 0;
  int samples_ = 0;
  PresencePeriod close() const;
};

}  // namespace branchcast::ble
