// The appliance's BLE side in one object (pure; the radio is a port): the beacon goes out through
// the radio with a fresh Eddystone-TLM every 30 s, sightings feed the presence counter, finished
// report periods go to on_period once per screen. The composition root creates the BlueZ radio
// (ble/bluez_radio.h) with the same AddressHasher, a BleStation, and calls tick() at
// next_deadline(); it connects on_period to PresenceRepository::record.
//
// One radio serves the whole appliance, so every screen of it gets the same count (do not add the
// screens of one appliance together). Loop thread only; `now` is always a value.
#pragma once

#include <string>
#include <vector>

#include "ble/presence_service.h"
#include "ble/radio.h"
#include "common/log.h"
#include "config/settings.h"

namespace branchcast::ble {

class BleStation {
 public:
  BleStation(const ApplianceSettings& settings, BleRadio& radio, Logger log, PresenceService::PeriodFn on_period,
             EidResolver* resolver = nullptr, PresenceService::PatronFn on_patron = {});

  // Registers the beacon (if enabled) and starts scanning (if presence is enabled).
  void start(TimePoint now);
  void tick(TimePoint now);
  TimePoint next_deadline() const;
  // The wall clock stepped (common/clock_step.h): the TLM refresh, the radio's rotation and the
  // presence sampling keep the waits they had left, and the TLM uptime runs on without a jump.
  void clock_stepped(Duration step);
  // Emits the period in progress (at shutdown).
  void stop();

  PresenceLevel level(TimePoint now) { return service_.level(now); }
  int count(TimePoint now) { return service_.count(now); }

  static constexpr Duration kTlmEvery{30'000};

 private:
  void advertise(TimePoint now);

  BeaconSettings beacon_;
  PresenceSettings presence_;
  std::vector<std::string> screens_;
  BleRadio& radio_;
  Logger log_;
  PresenceService::PeriodFn on_period_;
  PresenceService service_;
  TimePoint started_{};
  TimePoint next_tlm_ = TimePoint::max();
  bool warned_ = false;
};

}  // namespace branchcast::ble
