#include "ble/beacon.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace branchcast::ble {

Bytes BeaconAdvert::payload() const {
  std::vector<AdStructure> s;
  if (!service_uuids.empty()) s.push_back(encode_uuid16_list(service_uuids));
  if (manufacturer) s.push_back(encode_manufacturer(manufacturer->first, manufacturer->second));
  if (service_data) s.push_back(encode_service_data16(service_data->first, service_data->second));
  auto b = encode_ad(s);
  return b ? b.value() : Bytes{};
}

BeaconPlan beacon_adverts(const BeaconSettings& beacon, const TlmState& tlm) {
  BeaconPlan plan;
  std::vector<BeaconAdvert>& out = plan.adverts;
  if (beacon.ibeacon) {
    IBeaconFrame f;
    f.uuid = beacon.ibeacon->uuid;
    f.major = beacon.ibeacon->major;
    f.minor = beacon.ibeacon->minor;
    f.measured_power = beacon.ibeacon->measured_power;
    BeaconAdvert a;
    a.kind = "ibeacon";
    a.manufacturer = std::make_pair(kAppleCompanyId, ibeacon_body(f));
    a.interval = beacon.interval;
    out.push_back(std::move(a));
  }
  const int8_t tx = beacon.ibeacon ? static_cast<int8_t>(beacon.ibeacon->measured_power + 41) : -18;
  if (beacon.eddystone_url) {
    auto data = eddystone_url_data(EddystoneUrlFrame{tx, *beacon.eddystone_url});
    if (!data) {
      plan.warnings.push_back("beacon.eddystone_url: " + data.error().message +
                              "; the Eddystone-URL frame is left out");
    } else {
      BeaconAdvert a;
      a.kind = "eddystone-url";
      a.service_uuids = {kEddystoneUuid};
      a.service_data = std::make_pair(kEddystoneUuid, std::move(data.value()));
      a.interval = beacon.interval;
      out.push_back(std::move(a));
    }
  }
  if (beacon.eddystone_tlm) {
    EddystoneTlmFrame f;
    f.battery_mv = tlm.battery_mv;
    f.temperature_c = tlm.temperature_c;
    f.adv_count = tlm.adv_count;
    f.uptime_tenths = static_cast<uint32_t>(tlm.uptime.count() / 100);
    BeaconAdvert a;
    a.kind = "eddystone-tlm";
    a.service_uuids = {kEddystoneUuid};
    a.service_data = std::make_pair(kEddystoneUuid, eddystone_tlm_data(f));
    a.interval = beacon.interval;
    out.push_back(std::move(a));
  }
  return plan;
}

std::vector<size_t> frames_for_step(size_t frames, size_t instances, uint64_t step) {
  std::vector<size_t> out;
  if (frames == 0 || instances == 0) return out;
  if (instances >= frames) {
    for (size_t i = 0; i < frames; ++i) out.push_back(i);
    return out;
  }
  const uint64_t first = (step * instances) % frames;
  for (size_t i = 0; i < instances; ++i) out.push_back(static_cast<size_t>((first + i) % frames));
  return out;
}

std::pair<uint16_t, uint16_t> privacy_major_minor(std::string_view key, std::string_view branch_id, int64_t slot) {
  std::string msg(branch_id);
  for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>(static_cast<uint64_t>(slot) >> (8 * i)));
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
       msg.size(), out, &len);
  return {static_cast<uint16_t>((out[0] << 8) | out[1]), static_cast<uint16_t>((out[2] << 8) | out[3])};
}

bool is_own_beacon(const std::vector<Frame>& frames, const BeaconSettings& beacon) {
  for (const Frame& f : frames) {
    if (const auto* ib = std::get_if<IBeaconFrame>(&f); ib && beacon.ibeacon && ib->uuid == beacon.ibeacon->uuid) {
      return true;
    }
    if (const auto* u = std::get_if<EddystoneUrlFrame>(&f); u && beacon.eddystone_url && u->url == *beacon.eddystone_url) {
      return true;
    }
  }
  return false;
}

}  // namespace branchcast::ble
