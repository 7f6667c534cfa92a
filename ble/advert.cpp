#include "ble/advert.h"

#include <cstdio>

namespace branchcast::ble {
namespace {

Error at(size_t offset, const std::string& what) {
  return make_error("byte " + std::to_string(offset) + ": " + what);
}

uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Eddystone frame lengths (service data after the 0xFEAA UUID, frame type byte included).
constexpr size_t kUidMin = 18;   // type, tx, 10 namespace, 6 instance (+2 RFU, optional)
constexpr size_t kUidMax = 20;
constexpr size_t kUrlMin = 3;    // type, tx, scheme
constexpr size_t kUrlMax = 20;   // ... + 17 encoded bytes
constexpr size_t kTlmLen = 14;
constexpr size_t kEidLen = 10;

Result<Frame> decode_manufacturer(const AdStructure& s) {
  const size_t base = s.offset + 2;
  if (s.data.size() < 2) return at(base, "manufacturer data shorter than its 2-byte company id");
  const uint16_t company = le16(s.data.data());
  const uint8_t* d = s.data.data() + 2;
  const size_t n = s.data.size() - 2;
  if (company == kAppleCompanyId && n >= 1 && d[0] == 0x02) {
    if (n < 2 || d[1] != 0x15 || n != 23) {
      return at(base + 2, "iBeacon data must be 0x02 0x15 and 21 bytes (got " + std::to_string(n) +
                              " bytes after the company id)");
    }
    IBeaconFrame f;
    std::copy(d + 2, d + 18, f.uuid.begin());
    f.major = be16(d + 18);
    f.minor = be16(d + 20);
    f.measured_power = static_cast<int8_t>(d[22]);
    return Frame{f};
  }
  if (n >= 2 && d[0] == 0xBE && d[1] == 0xAC) {
    if (n != 24) {
      return at(base + 2, "AltBeacon data must be 24 bytes after the company id (got " +
                              std::to_string(n) + ")");
    }
    AltBeaconFrame f;
    f.company_id = company;
    std::copy(d + 2, d + 22, f.beacon_id.begin());
    f.reference_rssi = static_cast<int8_t>(d[22]);
    f.reserved = d[23];
    return Frame{f};
  }
  return Frame{ManufacturerFrame{company, Bytes(d, d + n)}};
}

}  // namespace

Result<std::vector<AdStructure>> split_ad_structures(ByteView payload) {
  if (payload.size() > kMaxAdvertBytes) {
    return at(kMaxAdvertBytes, "payload longer than " + std::to_string(kMaxAdvertBytes) + " bytes");
  }
  std::vector<AdStructure> out;
  size_t i = 0;
  while (i < payload.size()) {
    const size_t len = payload[i];
    if (len == 0) break;  // early termination: the rest is padding
    if (i + 1 + len > payload.size()) {
      return at(i, "AD structure length " + std::to_string(len) + " runs past the end of the " +
                       std::to_string(payload.size()) + "-byte payload");
    }
    AdStructure s;
    s.type = payload[i + 1];
    s.data.assign(payload.begin() + static_cast<long>(i + 2), payload.begin() + static_cast<long>(i + 1 + len));
    s.offset = i;
    out.push_back(std::move(s));
    i += 1 + len;
  }
  return out;
}

Result<Frame> decode_eddystone(ByteView d, size_t base) {
  if (d.empty()) return at(base, "Eddystone service data without a frame type");
  const uint8_t type = d[0];
  const size_t n = d.size();
  switch (type) {
    case 0x00: {
      if (n < kUidMin || n > kUidMax) {
        return at(base, "Eddystone-UID frame must be 18 or 20 bytes (got " + std::to_string(n) + ")");
      }
      EddystoneUidFrame f;
      f.tx_power = static_cast<int8_t>(d[1]);
      std::copy(d.begin() + 2, d.begin() + 12, f.namespace_id.begin());
      std::copy(d.begin() + 12, d.begin() + 18, f.instance.begin());
      return Frame{f};
    }
    case 0x10: {
      if (n < kUrlMin || n > kUrlMax) {
        return at(base, "Eddystone-URL frame must be 3 to 20 bytes (got " + std::to_string(n) + ")");
      }
      auto url = decode_eddystone_url(d.subspan(2), base + 2);
      if (!url) return url.error();
      return Frame{EddystoneUrlFrame{static_cast<int8_t>(d[1]), std::move(url.value())}};
    }
    case 0x20: {
      if (n < 2) return at(base, "Eddystone-TLM frame without a version byte");
      if (d[1] != 0x00) {
        return at(base + 1, "Eddystone-TLM version " + std::to_string(d[1]) +
                                " is not supported (only unencrypted version 0)");
      }
      if (n != kTlmLen) {
        return at(base, "Eddystone-TLM frame must be 14 bytes (got " + std::to_string(n) + ")");
      }
      EddystoneTlmFrame f;
      f.battery_mv = be16(&d[2]);
      const uint16_t temp = be16(&d[4]);
      if (temp != 0x8000) f.temperature_c = static_cast<int16_t>(temp) / 256.0;
      f.adv_count = be32(&d[6]);
      f.uptime_tenths = be32(&d[10]);
      return Frame{f};
    }
    case 0x30: {
      if (n != kEidLen) {
        return at(base, "Eddystone-EID frame must be 10 bytes (got " + std::to_string(n) + ")");
      }
      EddystoneEidFrame f;
      f.tx_power = static_cast<int8_t>(d[1]);
      std::copy(d.begin() + 2, d.end(), f.eid.begin());
      return Frame{f};
    }
    default: {
      char buf[8];
      std::snprintf(buf, sizeof buf, "0x%02x", type);
      return at(base, std::string("unknown Eddystone frame type ") + buf);
    }
  }
}

Result<std::vector<Frame>> decode_advert(ByteView payload) {
  auto split = split_ad_structures(payload);
  if (!split) return split.error();
  std::vector<Frame> frames;
  for (const AdStructure& s : split.value()) {
    const size_t data_at = s.offset + 2;
    switch (s.type) {
      case kAdFlags:
        if (s.data.size() != 1) return at(s.offset, "flags AD structure must hold exactly 1 byte");
        frames.push_back(FlagsFrame{s.data[0]});
        break;
      case kAdShortName:
      case kAdCompleteName: {
        NameFrame f;
        f.name.assign(s.data.begin(), s.data.end());
        f.complete = s.type == kAdCompleteName;
        frames.push_back(std::move(f));
        break;
      }
      case kAdManufacturer: {
        auto f = decode_manufacturer(s);
        if (!f) return f.error();
        frames.push_back(std::move(f.value()));
        break;
      }
      case kAdServiceData16: {
        if (s.data.size() < 2) return at(data_at, "service data shorter than its 2-byte UUID");
        const uint16_t uuid = le16(s.data.data());
        ByteView body(s.data.data() + 2, s.data.size() - 2);
        if (uuid == kEddystoneUuid) {
          auto f = decode_eddystone(body, data_at + 2);
          if (!f) return f.error();
          frames.push_back(std::move(f.value()));
        } else {
          frames.push_back(ServiceDataFrame{uuid, Bytes(body.begin(), body.end())});
        }
        break;
      }
      default:
        break;  // known to the spec, not to us: skipped
    }
  }
  return frames;
}

}  // namespace branchcast::ble
