// A BleRadio that records what it was asked to do and lets a test inject sightings and faults.
#pragma once

#include <vector>

#include "ble/radio.h"

namespace branchcast::testing {

class FakeRadio final : public ble::BleRadio {
 public:
  void advertise(std::vector<ble::BeaconAdvert> adverts) override {
    adverts_ = std::move(adverts);
    ++advertise_calls;
  }
  void scan(int rssi_floor, SightingFn fn) override {
    floor = rssi_floor;
    on_sighting_ = std::move(fn);
    status_.discovering = true;
  }
  void stop_scan() override { status_.discovering = false; }
  void tick(const Turn& turn) override { last_tick = turn.now; }
  TimePoint next_deadline(TimePoint) const override { return TimePoint::max(); }
  void clock_stepped(Duration step, const Turn&) override { stepped += step; }
  ble::RadioStatus status() const override { return status_; }

  // Test side.
  void hear(const ble::RadioSighting& s) {
    if (on_sighting_ && status_.discovering && s.rssi >= floor) {
      ++status_.sightings;
      on_sighting_(s);
    }
  }
  void lose_adapter() { status_ = {}; }
  const std::vector<ble::BeaconAdvert>& adverts() const { return adverts_; }

  int advertise_calls = 0;
  int floor = -127;
  TimePoint last_tick{};
  Duration stepped{0};  // the clock steps passed on

 private:
  std::vector<ble::BeaconAdvert> adverts_;
  SightingFn on_sighting_;
  ble::RadioStatus status_{true, true, false, 4, 0, 0, 0};
};

}  // namespace branchcast::testing
