// JSON for `branchcast ble decode` (formats.md section 3): field names are a contract.
#include <cstdio>

#include "ble/advert.h"
#include "common/strings.h"

namespace branchcast::ble {
namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string uuid16_string(uint16_t u) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "0000%04x-0000-1000-8000-00805f9b34fb", u);
  return buf;
}

struct JsonObject {
  std::string s;
  explicit JsonObject(std::string_view type) { s = "{\"type\":" + json_quote(type); }
  JsonObject& raw(std::string_view k, const std::string& v) {
    s += ",";
    s += json_quote(k);
    s += ":";
    s += v;
    return *this;
  }
  JsonObject& str(std::string_view k, std::string_view v) { return raw(k, json_quote(v)); }
  JsonObject& integer(std::string_view k, long long v) { return raw(k, std::to_string(v)); }
  std::string done() { return s + "}"; }
};

struct ToJson {
  std::string operator()(const FlagsFrame& f) const { return JsonObject("flags").integer("flags", f.flags).done(); }
  std::string operator()(const NameFrame& f) const {
    return JsonObject("name").str("name", f.name).raw("complete", f.complete ? "true" : "false").done();
  }
  std::string operator()(const ManufacturerFrame& f) const {
    return JsonObject("manufacturer").integer("company_id", f.company_id).str("data", hex(f.data)).done();
  }
  std::string operator()(const ServiceDataFrame& f) const {
    return JsonObject("service-data").str("uuid", uuid16_string(f.uuid)).str("data", hex(f.data)).done();
  }
  std::string operator()(const IBeaconFrame& f) const {
    return JsonObject("ibeacon")
        .str("uuid", uuid_string(f.uuid))
        .integer("major", f.major)
        .integer("minor", f.minor)
        .integer("measured_power", f.measured_power)
        .done();
  }
  std::string operator()(const AltBeaconFrame& f) const {
    return JsonObject("altbeacon")
        .integer("company_id", f.company_id)
        .str("beacon_id", hex(f.beacon_id))
        .integer("reference_rssi", f.reference_rssi)
        .integer("reserved", f.reserved)
        .done();
  }
  std::string operator()(const EddystoneUidFrame& f) const {
    return JsonObject("eddystone-uid")
        .integer("tx_power", f.tx_power)
        .str("namespace", hex(f.namespace_id))
        .str("instance", hex(f.instance))
        .done();
  }
  std::string operator()(const EddystoneUrlFrame& f) const {
    return JsonObject("eddystone-url").integer("tx_power", f.tx_power).str("url", f.url).done();
  }
  std::string operator()(const EddystoneTlmFrame& f) const {
    return JsonObject("eddystone-tlm")
        .integer("battery_mv", f.battery_mv)
        .raw("temperature_c", f.temperature_c ? num(*f.temperature_c) : "null")
        .integer("adv_count", f.adv_count)
        .raw("uptime_s", num(f.uptime_tenths / 10.0))
        .done();
  }
  std::string operator()(const EddystoneEidFrame& f) const {
    return JsonObject("eddystone-eid").integer("tx_power", f.tx_power).str("eid", hex(f.eid)).done();
  }
};

}  // namespace

std::string frame_to_json(const Frame& frame) { return std::visit(ToJson{}, frame); }

std::string frames_to_json(const std::vector<Frame>& frames) {
  std::string out = "{\"frames\":[";
  for (size_t i = 0; i < frames.size(); ++i) {
    if (i) out += ",";
    out += frame_to_json(frames[i]);
  }
  return out + "]}";
}

}  // namespace branchcast::ble
