// BleRadio port: the beacon goes out, sightings come in. Implemented by the BlueZ adapter
// (ble/bluez_radio.h) and by fakes in tests/ble/fakes/.
//
// Only our own value types cross it. A sighting carries the salted hash of the sender's address
// (ble/address_hasher.h), never the address itself - except when the radio was created with
// expose_addresses for `branchcast ble scan --show-addresses` on a terminal.
// All members are called on the loop thread; callbacks run on it too.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ble/address_hasher.h"
#include "ble/advert.h"
#include "ble/beacon.h"
#include "common/clock_step.h"
#include "common/ticker.h"
#include "common/time.h"

namespace branchcast::ble {

struct RadioSighting {
  HashedAddress device;
  int rssi = 0;
  Bytes payload;  // AD structures rebuilt from the advert's manufacturer and service data
  TimePoint at;
  std::optional<std::string> address;  // only with expose_addresses
};

struct RadioStatus {
  bool bluez = false;         // bluetoothd is on the bus
  bool adapter = false;       // an adapter is in use
  bool discovering = false;   // StartDiscovery succeeded
  int instances = 0;          // SupportedInstances of the adapter
  int registered = 0;         // adverts currently registered
  int bluez_restarts = 0;     // times bluetoothd came back after vanishing
  uint64_t sightings = 0;
};

class BleRadio : public Ticker {
 public:
  using SightingFn = std::function<void(const RadioSighting&)>;
  virtual ~BleRadio() = default;
  // The frames to broadcast (replacing earlier ones); kept registered across adapter and
  // bluetoothd restarts, rotated when the adapter offers fewer instances than frames.
  virtual void advertise(std::vector<BeaconAdvert> adverts) = 0;
  // Starts (or restarts) LE discovery; adverts weaker than rssi_floor are not reported.
  virtual void scan(int rssi_floor, SightingFn on_sighting) = 0;
  virtual void stop_scan() = 0;
  // Ticker (common/ticker.h), driven by its BleStation: tick() rotates the frames when
  // next_deadline(now) is reached; clock_stepped(): the next rotation keeps the wait it had left.
  virtual RadioStatus status() const = 0;
};

inline bool operator==(const BeaconAdvert& a, const BeaconAdvert& b) {
  return a.kind == b.kind && a.payload() == b.payload() && a.interval == b.interval;
}

}  // namespace branchcast::ble
