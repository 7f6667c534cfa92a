// Advertising payload codec (pure): AD structures <-> typed frames.
//
// An advertising payload is a sequence of AD structures: one length byte L (covering the type byte
// and the data), one AD type byte, L-1 data bytes (Core spec vol 3 part C section 11). A length of 0
// ends the significant part (the rest is padding). decode_advert() turns the structures it knows into
// frames; iBeacon and AltBeacon are recognised inside manufacturer data, Eddystone frames inside
// 16-bit service data for 0xFEAA. AD types it does not know (UUID lists, appearance, ...) are skipped.
//
// Errors are values: a malformed payload gives an Error whose message starts with "byte N:" where N
// is the 0-based offset of the byte at fault. Inputs above kMaxAdvertBytes are refused. Thread-safe,
// no allocation beyond the returned values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace branchcast::ble {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// Extended advertising data can be chained up to 1650 bytes (Core 5.x); legacy adverts are 31.
inline constexpr size_t kMaxAdvertBytes = 1650;

inline constexpr uint8_t kAdFlags = 0x01;
inline constexpr uint8_t kAdUuid16Incomplete = 0x02;
inline constexpr uint8_t kAdUuid16Complete = 0x03;
inline constexpr uint8_t kAdShortName = 0x08;
inline constexpr uint8_t kAdCompleteName = 0x09;
inline constexpr uint8_t kAdServiceData16 = 0x16;
inline constexpr uint8_t kAdManufacturer = 0xFF;

inline constexpr uint16_t kAppleCompanyId = 0x004C;
inline constexpr uint16_t kEddystoneUuid = 0xFEAA;

struct AdStructure {
  uint8_t type = 0;
  Bytes data;
  size_t offset = 0;  // offset of the length byte in the payload (decode only)
  bool operator==(const AdStructure& o) const { return type == o.type && data == o.data; }
};

struct FlagsFrame { uint8_t flags = 0; };
struct NameFrame { std::string name; bool complete = true; };
struct ManufacturerFrame { uint16_t company_id = 0; Bytes data; };
struct ServiceDataFrame { uint16_t uuid = 0; Bytes data; };
struct IBeaconFrame {
  std::array<uint8_t, 16> uuid{};
  uint16_t major = 0;
  uint16_t minor = 0;
  int8_t measured_power = 0;
};
struct AltBeaconFrame {
  uint16_t company_id = 0;
  std::array<uint8_t, 20> beacon_id{};
  int8_t reference_rssi = 0;
  uint8_t reserved = 0;
};
struct EddystoneUidFrame {
  int8_t tx_power = 0;
  std::array<uint8_t, 10> namespace_id{};
  std::array<uint8_t, 6> instance{};
};
struct EddystoneUrlFrame { int8_t tx_power = 0; std::string url; };
struct EddystoneTlmFrame {
  uint16_t battery_mv = 0;                // 0 = not known
  std::optional<double> temperature_c;    // 0x8000 on the air = not known
  uint32_t adv_count = 0;
  uint32_t uptime_tenths = 0;             // SEC_CNT: 0.1 s resolution
};
struct EddystoneEidFrame { int8_t tx_power = 0; std::array<uint8_t, 8> eid{}; };

using Frame = std::variant<FlagsFrame, NameFrame, ManufacturerFrame, ServiceDataFrame, IBeaconFrame,
                           AltBeaconFrame, EddystoneUidFrame, EddystoneUrlFrame, EddystoneTlmFrame,
                           EddystoneEidFrame>;

// Splits a payload into AD structures. Fails with "byte N: ..." on a length running past the end
// or an oversize payload; a zero length byte ends the significant part.
Result<std::vector<AdStructure>> split_ad_structures(ByteView payload);
// Decodes every AD structure it knows into frames, in payload order.
Result<std::vector<Frame>> decode_advert(ByteView payload);
// Decodes the data of one Eddystone service-data element (frame type byte first). `base` is the
// offset of that data in the payload, for error messages.
Result<Frame> decode_eddystone(ByteView data, size_t base = 0);

// {"frames": [...]} exactly as formats.md section 3 specifies (`ble decode`).
std::string frames_to_json(const std::vector<Frame>& frames);
// One frame's JSON object.
std::string frame_to_json(const Frame& frame);

// Encoding. Each returns the AD structure for one frame; encode_ad() concatenates structures.
// Fails if a structure would exceed 255 bytes or (encode_eddystone_url) the URL cannot be encoded
// in the 17 bytes the frame allows.
Result<Bytes> encode_ad(const std::vector<AdStructure>& structures);
AdStructure encode_flags(uint8_t flags);
AdStructure encode_uuid16_list(const std::vector<uint16_t>& uuids);
AdStructure encode_manufacturer(uint16_t company_id, ByteView data);
AdStructure encode_service_data16(uint16_t uuid, ByteView data);
// The manufacturer-data body after the company id (0x02 0x15 uuid major minor power).
Bytes ibeacon_body(const IBeaconFrame& f);
Bytes eddystone_uid_data(const EddystoneUidFrame& f);
Result<Bytes> eddystone_url_data(const EddystoneUrlFrame& f);
Bytes eddystone_tlm_data(const EddystoneTlmFrame& f);
Bytes eddystone_eid_data(const EddystoneEidFrame& f);

// Eddystone-URL compression: scheme prefix byte + body with expansion codes (greedy, longest
// match first). Fails for a URL without one of the four schemes, a non-printable character, or more
// than 17 encoded bytes.
Result<Bytes> encode_eddystone_url(std::string_view url);
// Inverse; `base` is used for error offsets. Fails on reserved codes (0x0e-0x20, 0x7f-0xff).
Result<std::string> decode_eddystone_url(ByteView encoded, size_t base = 0);

// Parses hex ("0201061aff4c00..."; spaces, colons and a 0x prefix allowed). Fails naming the
// character position.
Result<Bytes> parse_hex(std::string_view text);
std::string hex(ByteView bytes);
// "2f234454-cf6d-4a0f-adf2-f4911ba9ffa6"
std::string uuid_string(const std::array<uint8_t, 16>& uuid);

}  // namespace branchcast::ble
