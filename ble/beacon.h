// The branch beacon's frames (pure): what the appliance broadcasts, as BlueZ LEAdvertisement1
// properties want them (manufacturer data by company id, service data by UUID), plus the rotation
// of frames over fewer advertising instances and the optional privacy mode.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ble/advert.h"
#include "common/result.h"
#include "config/settings.h"

namespace branchcast::ble {

struct BeaconAdvert {
  std::string kind;                                        // "ibeacon", "eddystone-url", "eddystone-tlm"
  std::optional<std::pair<uint16_t, Bytes>> manufacturer;  // company id, data after it
  std::vector<uint16_t> service_uuids;                     // 16-bit UUIDs (ServiceUUIDs)
  std::optional<std::pair<uint16_t, Bytes>> service_data;  // 16-bit UUID, data
  Duration interval{300};

  // The AD structures a scanner receives for this advert (flags added by the controller excluded).
  Bytes payload() const;
};

// Telemetry for Eddystone-TLM: battery 0 = mains powered/unknown; temperature unknown if unset.
struct TlmState {
  uint16_t battery_mv = 0;
  std::optional<double> temperature_c;
  uint32_t adv_count = 0;
  Duration uptime{0};
};

// The frames `beacon` asks for, in a fixed order (iBeacon, Eddystone-URL, Eddystone-TLM). An
// Eddystone URL that cannot be encoded (more than 17 bytes after compression, or not http/https)
// leaves its frame out with a warning: the other frames still go out (formats.md's own example URL
// needs 22 bytes).
struct BeaconPlan {
  std::vector<BeaconAdvert> adverts;
  std::vector<std::string> warnings;
};
BeaconPlan beacon_adverts(const BeaconSettings& beacon, const TlmState& tlm);

// Which frames to register when the controller offers `instances` advertising sets for `frames`
// frames: all of them if they fit, else a window of `instances` frames that moves by `instances` at
// every rotation step (step = 0, 1, 2, ...), so each frame gets its turn.
std::vector<size_t> frames_for_step(size_t frames, size_t instances, uint64_t step);

// Privacy mode: iBeacon major/minor for a time slot, from HMAC-SHA256(key, branch_id || slot as 8
// bytes big-endian): major = bytes 0-1, minor = bytes 2-3 (big-endian). An app holding the key
// computes the same pair for the current slot (and its neighbours) to recognise the branch, while
// others see values that change every slot.
std::pair<uint16_t, uint16_t> privacy_major_minor(std::string_view key, std::string_view branch_id, int64_t slot);

// True when the decoded frames are one of our own beacon's frames (same iBeacon UUID, or the same
// Eddystone URL): they are not people and are never counted.
bool is_own_beacon(const std::vector<Frame>& frames, const BeaconSettings& beacon);

}  // namespace branchcast::ble
