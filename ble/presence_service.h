// Presence near one screen, end to end and pure: sightings in, level and per-period counts out.
//
// Ignores our own beacon's frames, resolves Eddystone-EID frames of enrolled patrons (optional),
// counts devices (PresenceCounter) and turns a sample every `sample_every` into one figure per report
// period (PresenceReporter). The composition root connects on_period to the store
// (store/presence_repository.h) and on_patron to the nearby-prompt policy. Only counts and patron
// indexes leave it. Loop thread only; `now` is always a value.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ble/eid.h"
#include "ble/presence.h"
#include "ble/radio.h"
#include "config/settings.h"

namespace branchcast::ble {

class PresenceService {
 public:
  using PeriodFn = std::function<void(const PresencePeriod&)>;
  using PatronFn = std::function<void(size_t patron_index, TimePoint at)>;

  PresenceService(std::string screen, const PresenceSettings& presence, BeaconSettings own_beacon,
                  PeriodFn on_period, EidResolver* resolver = nullptr, PatronFn on_patron = {});

  void on_sighting(const RadioSighting& s);
  // Samples the count when due and emits finished periods.
  void tick(TimePoint now);
  TimePoint next_deadline() const { return next_sample_; }
  // The wall clock stepped (common/clock_step.h): the next sample and the devices' last sightings
  // move with it (PresenceCounter::clock_stepped).
  void clock_stepped(Duration step) {
    next_sample_ = shift_deadline(next_sample_, step);
    counter_.clock_stepped(step);
  }
  // Emits the period in progress (at shutdown).
  void flush();

  PresenceLevel level(TimePoint now) { return counter_.level(now); }
  int count(TimePoint now) { return counter_.count(now); }
  const PresenceCounter& counter() const { return counter_; }
  uint64_t own_beacon_frames() const { return own_; }

  static constexpr Duration kSampleEvery{10'000};

 private:
  PresenceCounter counter_;
  PresenceReporter reporter_;
  BeaconSettings own_beacon_;
  PeriodFn on_period_;
  EidResolver* resolver_;
  PatronFn on_patron_;
  TimePoint next_sample_ = TimePoint::min();
  uint64_t own_ = 0;
};

}  // namespace branchcast::ble
