// Encoders, the Eddystone-URL compression and hex helpers of the advert codec (ble/advert.h).
#include <array>
#include <cctype>

#include "ble/advert.h"
#include "common/strings.h"

namespace branchcast::ble {
namespace {

constexpr std::array<std::string_view, 4> kSchemes = {"http://www.", "https://www.", "http://",
                                                       "https://"};
constexpr std::array<std::string_view, 14> kExpansions = {
    ".com/", ".org/", ".edu/", ".net/", ".info/", ".biz/", ".gov/",
    ".com",  ".org",  ".edu",  ".net",  ".info",  ".biz",  ".gov"};
constexpr size_t kMaxUrlBody = 17;

void put_be16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
void put_be32(Bytes& b, uint32_t v) {
  put_be16(b, static_cast<uint16_t>(v >> 16));
  put_be16(b, static_cast<uint16_t>(v));
}

}  // namespace

Result<Bytes> encode_ad(const std::vector<AdStructure>& structures) {
  Bytes out;
  for (const AdStructure& s : structures) {
    if (s.data.size() + 1 > 255) return make_error("AD structure of type " + std::to_string(s.type) + " is longer than 254 bytes");
    out.push_back(static_cast<uint8_t>(s.data.size() + 1));
    out.push_back(s.type);
    out.insert(out.end(), s.data.begin(), s.data.end());
  }
  if (out.size() > kMaxAdvertBytes) return make_error("advert longer than " + std::to_string(kMaxAdvertBytes) + " bytes");
  return out;
}

AdStructure encode_flags(uint8_t flags) { return {kAdFlags, {flags}, 0}; }

AdStructure encode_uuid16_list(const std::vector<uint16_t>& uuids) {
  AdStructure s{kAdUuid16Complete, {}, 0};
  for (uint16_t u : uuids) {
    s.data.push_back(static_cast<uint8_t>(u));
    s.data.push_back(static_cast<uint8_t>(u >> 8));
  }
  return s;
}

AdStructure encode_manufacturer(uint16_t company_id, ByteView data) {
  AdStructure s{kAdManufacturer, {static_cast<uint8_t>(company_id), static_cast<uint8_t>(company_id >> 8)}, 0};
  s.data.insert(s.data.end(), data.begin(), data.end());
  return s;
}

AdStructure encode_service_data16(uint16_t uuid, ByteView data) {
  AdStructure s{kAdServiceData16, {static_cast<uint8_t>(uuid), static_cast<uint8_t>(uuid >> 8)}, 0};
  s.data.insert(s.data.end(), data.begin(), data.end());
  return s;
}

Bytes ibeacon_body(const IBeaconFrame& f) {
  Bytes b = {0x02, 0x15};
  b.insert(b.end(), f.uuid.begin(), f.uuid.end());
  put_be16(b, f.major);
  put_be16(b, f.minor);
  b.push_back(static_cast<uint8_t>(f.measured_power));
  return b;
}

Bytes eddystone_uid_data(const EddystoneUidFrame& f) {
  Bytes b = {0x00, static_cast<uint8_t>(f.tx_power)};
  b.insert(b.end(), f.namespace_id.begin(), f.namespace_id.end());
  b.insert(b.end(), f.instance.begin(), f.instance.end());
  b.push_back(0);
  b.push_back(0);
  return b;
}

Result<Bytes> eddystone_url_data(const EddystoneUrlFrame& f) {
  auto enc = encode_eddystone_url(f.url);
  if (!enc) return enc.error();
  Bytes b = {0x10, static_cast<uint8_t>(f.tx_power)};
  b.insert(b.end(), enc->begin(), enc->end());
  return b;
}

Bytes eddystone_tlm_data(const EddystoneTlmFrame& f) {
  Bytes b = {0x20, 0x00};
  put_be16(b, f.battery_mv);
  if (f.temperature_c) {
    double scaled = *f.temperature_c * 256.0;
    if (scaled > 32767) scaled = 32767;
    if (scaled < -32767) scaled = -32767;
    put_be16(b, static_cast<uint16_t>(static_cast<int16_t>(scaled)));
  } else {
    put_be16(b, 0x8000);
  }
  put_be32(b, f.adv_count);
  put_be32(b, f.uptime_tenths);
  return b;
}

Bytes eddystone_eid_data(const EddystoneEidFrame& f) {
  Bytes b = {0x30, static_cast<uint8_t>(f.tx_power)};
  b.insert(b.end(), f.eid.begin(), f.eid.end());
  return b;
}

Result<Bytes> encode_eddystone_url(std::string_view url) {
  // Longest scheme first: "https://www." before "https://".
  int scheme = -1;
  size_t best = 0;
  for (size_t i = 0; i < kSchemes.size(); ++i) {
    if (starts_with(url, kSchemes[i]) && kSchemes[i].size() > best) {
      scheme = static_cast<int>(i);
      best = kSchemes[i].size();
    }
  }
  if (scheme < 0) return make_error("Eddystone-URL needs an http:// or https:// URL: '" + std::string(url) + "'");
  Bytes out = {static_cast<uint8_t>(scheme)};
  std::string_view rest = url.substr(best);
  while (!rest.empty()) {
    int code = -1;
    size_t code_len = 0;
    for (size_t i = 0; i < kExpansions.size(); ++i) {
      if (starts_with(rest, kExpansions[i]) && kExpansions[i].size() > code_len) {
        code = static_cast<int>(i);
        code_len = kExpansions[i].size();
      }
    }
    if (code >= 0) {
      out.push_back(static_cast<uint8_t>(code));
      rest.remove_prefix(code_len);
    } else {
      const auto c = static_cast<unsigned char>(rest[0]);
      if (c <= 0x20 || c >= 0x7f) return make_error("Eddystone-URL cannot carry character " + std::to_string(c));
      out.push_back(c);
      rest.remove_prefix(1);
    }
  }
  if (out.size() - 1 > kMaxUrlBody) {
    return make_error("URL '" + std::string(url) + "' needs " + std::to_string(out.size() - 1) +
                      " bytes after compression; Eddystone-URL allows 17");
  }
  return out;
}

Result<std::string> decode_eddystone_url(ByteView encoded, size_t base) {
  if (encoded.empty()) return make_error("byte " + std::to_string(base) + ": Eddystone-URL without a scheme byte");
  if (encoded[0] >= kSchemes.size()) {
    return make_error("byte " + std::to_string(base) + ": unknown Eddystone-URL scheme " + std::to_string(encoded[0]));
  }
  std::string url(kSchemes[encoded[0]]);
  for (size_t i = 1; i < encoded.size(); ++i) {
    const uint8_t c = encoded[i];
    if (c < kExpansions.size()) {
      url += kExpansions[c];
    } else if (c <= 0x20 || c >= 0x7f) {
      return make_error("byte " + std::to_string(base + i) + ": reserved Eddystone-URL code " + std::to_string(c));
    } else {
      url += static_cast<char>(c);
    }
  }
  return url;
}

Result<Bytes> parse_hex(std::string_view text) {
  if (starts_with(text, "0x") || starts_with(text, "0X")) text.remove_prefix(2);
  Bytes out;
  int hi = -1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == ':' || c == '-' || c == '\n' || c == '\t') {
      if (hi >= 0) return make_error("hex character " + std::to_string(i) + ": separator inside a byte");
      continue;
    }
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else return make_error("hex character " + std::to_string(i) + ": '" + std::string(1, c) + "' is not a hex digit");
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<uint8_t>(hi * 16 + v));
      hi = -1;
      if (out.size() > kMaxAdvertBytes) return make_error("more than " + std::to_string(kMaxAdvertBytes) + " bytes of hex");
    }
  }
  if (hi >= 0) return make_error("odd number of hex digits");
  return out;
}

std::string hex(ByteView bytes) { return to_hex(bytes.data(), bytes.size()); }

std::string uuid_string(const std::array<uint8_t, 16>& u) {
  std::string h = to_hex(u.data(), u.size());
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

}  // namespace branchcast::ble
