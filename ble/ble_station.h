// The appliance's BLE side in one object (pure; the radio is a port): the beacon goes out through
// the radio with a fresh Eddystone-TLM every 30 s, sightings feed the presence counter, finished
// report periods go to on_period once per screen. The composition root creates the BlueZ radio
// (ble/bluez_radio.h) with the same AddressHasher and a BleStation, a Ticker (common/ticker.h) of
// the run loop that ticks the radio in turn; it connects on_period to PresenceRepository::record
// and on_level to the schedulers.
//
// One radio serves the whole appliance, so every screen of it gets the same count (do not add the
// screens of one appliance together). Loop thread only; `now` is always a value.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ble/presence_service.h"
#include "ble/radio.h"
#include "common/log.h"
#include "common/ticker.h"
#include "config/settings.h"

namespace branchcast::ble {

class BleStation final : public Ticker {
 public:
  BleStation(const ApplianceSettings& settings, BleRadio& radio, Logger log, PresenceService::PeriodFn on_period,
             EidResolver* resolver = nullptr, PresenceService::PatronFn on_patron = {});

  // Registers the beacon (if enabled) and starts scanning (if presence is enabled).
  void start(TimePoint now);
  // After every tick: the presence level at the turn's `now` (kEmpty while presence is off).
  using LevelFn = std::function<void(PresenceLevel level, TimePoint now)>;
  void on_level(LevelFn fn) { on_level_ = std::move(fn); }

  // Ticker (common/ticker.h): the TLM refresh, the radio's rotation (the radio is ticked here,
  // not by the loop) and the presence sampling.
  TimePoint next_deadline(TimePoint now) const override;
  void tick(const Turn& turn) override;
  // The wall clock stepped (common/clock_step.h): the TLM refresh, the radio's rotation and the
  // presence sampling keep the waits they had left, and the TLM uptime runs on without a jump.
  void clock_stepped(Duration step, const Turn& turn) override;
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
  LevelFn on_level_;
  PresenceService service_;
  TimePoint started_{};
  TimePoint next_tlm_ = TimePoint::max();
  bool warned_ = false;
};

}  // namespace branchcast::ble
