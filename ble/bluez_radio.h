// The BlueZ adapter of the BleRadio port: D-Bus (GDBus) to bluetoothd on the system bus
// ($DBUS_SYSTEM_BUS_ADDRESS honoured), on the default GMainContext (the loop of
// common/event_loop.h): no thread of its own, no raw HCI.
//
// - Finds the adapter through ObjectManager.GetManagedObjects and InterfacesAdded, follows it
//   disappearing (InterfacesRemoved) and bluetoothd restarting (name owner changes): re-registers the
//   adverts and restarts discovery.
// - Advertising: one exported org.bluez.LEAdvertisement1 object per frame (Type "broadcast"),
//   registered through LEAdvertisingManager1 within SupportedInstances, rotated when there are fewer
//   instances than frames.
// - Scanning: SetDiscoveryFilter {Transport: le, DuplicateData: true, RSSI: floor}, StartDiscovery;
//   sightings from InterfacesAdded and PropertiesChanged of Device1 objects (RSSI, ManufacturerData,
//   ServiceData). The adapter's own address is ignored. The raw address is hashed here, through the
//   injected AddressHasher, and goes no further (unless expose_addresses).
#pragma once

#include <memory>
#include <string>

#include "ble/address_hasher.h"
#include "ble/radio.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/result.h"

namespace branchcast::ble {

struct BluezOptions {
  std::string adapter;                // "hci0"; empty = the first adapter found
  Duration rotate_every{2'000};       // frame rotation step when instances < frames
  bool expose_addresses = false;      // only for `ble scan --show-addresses` on a terminal
  size_t max_cached_devices = 20'000;
};

// Connects to the system bus. Fails only if the bus cannot be reached; a missing bluetoothd or
// adapter is a state (status()), picked up when it appears. clock, hasher and the log sink must
// outlive the radio. Loop thread only.
Result<std::unique_ptr<BleRadio>> make_bluez_radio(const Clock& clock, AddressHasher& hasher, Logger log,
                                                   BluezOptions options = {});

}  // namespace branchcast::ble
