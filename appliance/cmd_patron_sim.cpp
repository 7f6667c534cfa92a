// `branchcast patron-sim`: the Eddystone-EID advert an opted-in patron's phone would send.
#include <charconv>
#include <ostream>

#include "appliance/commands.h"
#include "ble/advert.h"
#include "ble/eid.h"
#include "common/time_zone.h"

namespace branchcast {
namespace {

constexpr int8_t kPhoneTxPower = -18;  // calibrated power at 0 m typical of a phone

template <typename T>
bool parse_int(const std::string& s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

int run(const Args& args, CommandEnv& env) {
  const auto key_hex = args.get("key");
  const auto epoch_s = args.get("epoch");
  const auto rotation_s = args.get("rotation");
  if (!key_hex || !epoch_s || !rotation_s) return usage_error(env, "patron-sim", "--key, --epoch and --rotation are required");
  auto key_bytes = ble::parse_hex(*key_hex);
  if (!key_bytes || key_bytes->size() != 16) {
    env.err << "branchcast patron-sim: --key must be 16 bytes of hex (32 hex digits)\n";
    return kExitInvalid;
  }
  int64_t epoch = 0;
  int rotation = 0;
  if (!parse_int(*epoch_s, epoch)) {
    env.err << "branchcast patron-sim: --epoch must be a Unix time in seconds\n";
    return kExitInvalid;
  }
  if (!parse_int(*rotation_s, rotation) || rotation < 0 || rotation > ble::kMaxRotationExponent) {
    env.err << "branchcast patron-sim: --rotation must be 0..15\n";
    return kExitInvalid;
  }
  TimePoint at = env.clock.now();
  if (auto t = args.get("at")) {
    auto parsed = TimeZone::system().parse_iso(*t);
    if (!parsed) {
      env.err << "branchcast patron-sim: --at: " << parsed.error().message << "\n";
      return kExitInvalid;
    }
    at = *parsed;
  }
  const auto counter = ble::eid_counter(epoch, at);
  if (!counter) {
    env.err << "branchcast patron-sim: the time is before --epoch (or more than 2^32 s after it)\n";
    return kExitInvalid;
  }
  ble::IdentityKey key{};
  std::copy(key_bytes->begin(), key_bytes->end(), key.begin());
  ble::EddystoneEidFrame frame{kPhoneTxPower, ble::compute_eid(key, *counter, rotation)};
  auto advert = ble::encode_ad({ble::encode_flags(0x06), ble::encode_uuid16_list({ble::kEddystoneUuid}),
                                ble::encode_service_data16(ble::kEddystoneUuid, ble::eddystone_eid_data(frame))});
  auto frames = ble::decode_advert(advert.value());
  env.out << ble::hex(advert.value()) << "\n" << ble::frames_to_json(frames.value()) << "\n";
  return kExitOk;
}

}  // namespace

Command patron_sim_command() {
  Command c;
  c.name = "patron-sim";
  c.summary = "print the Eddystone-EID advert a patron's phone would send";
  c.usage =
      "Usage: branchcast patron-sim --key HEX --epoch N --rotation K [--at T]\n"
      "Prints the advert (hex of its AD structures) an opted-in patron's phone sends at T (default:\n"
      "now), then its decoded JSON. The key is the patron's 16-byte identity key, epoch the Unix time\n"
      "the patron's counter starts from, K the rotation exponent (a new identifier every 2^K s).\n";
  c.valued = {"key", "epoch", "rotation", "at"};
  c.flags = {};
  c.run = run;
  return c;
}

}  // namespace branchcast
