// `branchcast ble decode HEX` and `branchcast ble scan` (formats.md section 3).
#include <unistd.h>

#include <cstdio>
#include <ostream>
#include <set>

#include "appliance/commands.h"
#include "ble/advert.h"
#include "ble/bluez_radio.h"
#include "ble/presence.h"
#include "common/event_loop.h"
#include "common/strings.h"
#include "common/time_zone.h"

namespace branchcast {
namespace {

int decode(const Args& args, CommandEnv& env) {
  if (args.positional().size() != 2) return usage_error(env, "ble", "decode takes one HEX argument");
  auto bytes = ble::parse_hex(args.positional()[1]);
  if (!bytes) {
    env.err << "branchcast ble decode: " << bytes.error().message << "\n";
    return kExitInvalid;
  }
  auto frames = ble::decode_advert(*bytes);
  if (!frames) {
    env.err << "branchcast ble decode: " << frames.error().message << "\n";
    return kExitInvalid;
  }
  env.out << ble::frames_to_json(*frames) << "\n";
  return kExitOk;
}

// Fixed infrastructure beacons (iBeacon, AltBeacon, Eddystone UID/URL/TLM) are public by design and
// shown as decoded. Everything else a phone or wearable sends can identify it or its owner (an
// Eddystone-EID is a patron's identifier; Apple and Google manufacturer/service data carry rotating
// identifiers and keys): shown only as its type and length, unless the user asked to see addresses
// on a terminal.
std::string scan_frame_json(const ble::Frame& f, bool reveal) {
  if (reveal) return ble::frame_to_json(f);
  auto redacted = [](const std::string& head, size_t n) {
    return head + ",\"data_len\":" + std::to_string(n) + ",\"redacted\":true}";
  };
  if (const auto* m = std::get_if<ble::ManufacturerFrame>(&f)) {
    return redacted("{\"type\":\"manufacturer\",\"company_id\":" + std::to_string(m->company_id), m->data.size());
  }
  if (const auto* s = std::get_if<ble::ServiceDataFrame>(&f)) {
    char uuid[48];
    std::snprintf(uuid, sizeof uuid, "0000%04x-0000-1000-8000-00805f9b34fb", s->uuid);
    return redacted(std::string("{\"type\":\"service-data\",\"uuid\":\"") + uuid + "\"", s->data.size());
  }
  if (const auto* e = std::get_if<ble::EddystoneEidFrame>(&f)) {
    return "{\"type\":\"eddystone-eid\",\"tx_power\":" + std::to_string(e->tx_power) + ",\"redacted\":true}";
  }
  return ble::frame_to_json(f);
}

std::string scan_frames_json(const std::vector<ble::Frame>& frames, bool reveal) {
  std::string out = "[";
  for (size_t i = 0; i < frames.size(); ++i) out += (i ? "," : "") + scan_frame_json(frames[i], reveal);
  return out + "]";
}

std::string frames_text(const std::vector<ble::Frame>& frames, bool reveal) {
  std::string out;
  for (const auto& f : frames) {
    if (std::holds_alternative<ble::FlagsFrame>(f)) continue;
    if (!out.empty()) out += " ";
    out += scan_frame_json(f, reveal);
  }
  return out.empty() ? "(no manufacturer or service data)" : out;
}

int scan(const Args& args, CommandEnv& env) {
  Duration length{10'000};
  if (auto f = args.get("for")) {
    auto d = parse_duration(*f);
    if (!d) return usage_error(env, "ble", "--for: " + d.error().message);
    length = *d;
  }
  const bool json = args.has("json");
  const bool show = args.has("show-addresses");
  if (show && !isatty(STDOUT_FILENO)) {
    env.err << "branchcast ble scan: --show-addresses only writes to a terminal, never to a file or pipe\n";
    return kExitUsage;
  }
  PresenceSettings presence;  // default threshold and window: the counts a screen would see
  ble::AddressHasher hasher(presence.window);
  ble::PresenceCounter counter(ble::presence_options(presence));
  ble::BluezOptions options;
  options.expose_addresses = show;
  auto radio = ble::make_bluez_radio(env.clock, hasher, Logger(env.log, "ble"), options);
  if (!radio) {
    env.err << "branchcast ble scan: " << radio.error().message << "\n";
    return kExitInvalid;
  }
  const TimeZone zone = TimeZone::system();
  uint64_t adverts = 0;
  std::set<ble::DeviceId> devices;
  (*radio)->scan(-127, [&](const ble::RadioSighting& s) {
    ++adverts;
    devices.insert(s.device.current);
    counter.observe(s.device, s.rssi, s.at);
    auto frames = ble::decode_advert(s.payload);
    if (json) {
      env.out << "{\"at\":" << json_quote(zone.format_iso(s.at)) << ",\"rssi\":" << s.rssi;
      if (s.address) env.out << ",\"address\":" << json_quote(*s.address);
      if (frames) env.out << ",\"frames\":" << scan_frames_json(*frames, show) << "}";
      else env.out << ",\"error\":" << json_quote(frames.error().message) << "}";
      env.out << "\n";
    } else {
      env.out << zone.format_iso(s.at) << "  " << s.rssi << " dBm  ";
      if (s.address) env.out << *s.address << "  ";
      env.out << (frames ? frames_text(*frames, show) : "undecodable: " + frames.error().message) << "\n";
    }
    env.out.flush();
  });
  auto loop = make_glib_event_loop(env.clock);
  loop->every(Duration(1'000), [&] { (*radio)->tick(Turn{env.clock.now(), env.clock.monotonic()}); });
  loop->wake_at(0, env.clock.monotonic() + length, [&] { loop->quit(); });
  loop->run();
  const auto status = (*radio)->status();
  const int near = counter.count(env.clock.now());
  if (json) {
    env.out << "{\"summary\":{\"adverts\":" << adverts << ",\"devices\":" << devices.size() << ",\"present\":" << near
            << ",\"rssi_threshold\":" << presence.rssi_threshold << ",\"adapter\":" << (status.adapter ? "true" : "false")
            << "}}\n";
  } else {
    env.out << adverts << " adverts from " << devices.size() << " devices; " << near << " present (median RSSI >= "
            << presence.rssi_threshold << " dBm)\n";
  }
  if (!status.adapter) {
    env.err << "branchcast ble scan: no Bluetooth adapter found" << (status.bluez ? "" : " (bluetoothd is not running)")
            << "\n";
    return kExitInvalid;
  }
  return kExitOk;
}

int run(const Args& args, CommandEnv& env) {
  if (args.positional().empty()) return usage_error(env, "ble", "expected 'decode' or 'scan'");
  const std::string& sub = args.positional()[0];
  if (sub == "decode") return decode(args, env);
  if (sub == "scan") {
    if (args.positional().size() != 1) return usage_error(env, "ble", "scan takes no arguments");
    return scan(args, env);
  }
  return usage_error(env, "ble", "unknown subcommand '" + sub + "'");
}

}  // namespace

Command ble_command() {
  Command c;
  c.name = "ble";
  c.summary = "decode adverts, live scan through BlueZ";
  c.usage =
      "Usage: branchcast ble decode HEX\n"
      "       branchcast ble scan [--for 10s] [--json] [--show-addresses]\n"
      "decode prints the frames of one advertising payload (AD structures, hex) as JSON; malformed\n"
      "input exits 1 naming the byte offset at fault.\n"
      "scan listens through BlueZ and prints each advert heard, then counts. Beacon frames (iBeacon,\n"
      "AltBeacon, Eddystone UID/URL/TLM) are decoded; other devices' data and Eddystone-EIDs show\n"
      "only type and length. Addresses and those data are shown only with --show-addresses, and\n"
      "then only on a terminal.\n";
  c.valued = {"for"};
  c.flags = {"json", "show-addresses"};
  c.run = run;
  return c;
}

}  // namespace branchcast
