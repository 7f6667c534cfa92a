#include "services/doctor.h"

#include <algorithm>

#include "common/strings.h"

namespace branchcast {
namespace {

CheckResult make(std::string name, CheckLevel level, std::string message, std::string hint = {}) {
  return {std::move(name), level, std::move(message), std::move(hint)};
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string gib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
  return buf;
}

bool has_driver(const std::vector<std::string>& v, std::string_view name) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& d) { return to_lower(d) == name; });
}

}  // namespace

std::string format_check(const CheckResult& r) {
  const char* level = r.level == CheckLevel::kOk ? "ok  " : r.level == CheckLevel::kWarn ? "warn" : "fail";
  std::string line = std::string(level) + " " + r.name + ": " + r.message;
  if (r.level != CheckLevel::kOk && !r.hint.empty()) line += "; fix: " + r.hint;
  return line;
}

int doctor_exit_code(const std::vector<CheckResult>& results) {
  for (const auto& r : results)
    if (r.level == CheckLevel::kFail) return 1;
  return 0;
}

CheckResult check_display(const DisplayFacts& f) {
  bool kmsdrm = has_driver(f.sdl_drivers, "kmsdrm");
  if (f.sdl_drivers.empty())
    return make("display", CheckLevel::kFail, "SDL has no video driver", "apt-get install libsdl2-2.0-0");
  if (!f.needs_kms)
    return make("display", CheckLevel::kOk, "every screen renders offscreen or in a window (SDL: " + join(f.sdl_drivers) + ")");
  if (!kmsdrm)
    return make("display", CheckLevel::kFail, "SDL was built without KMSDRM (drivers: " + join(f.sdl_drivers) + ")",
                "install Debian's libsdl2-2.0-0, which includes KMSDRM");
  if (!f.missing_gpu_libraries.empty())
    return make("display", CheckLevel::kFail,
                "SDL's KMSDRM output cannot open a window without " + join(f.missing_gpu_libraries),
                "apt-get install libegl1 libegl-mesa0 libgles2 libgbm1 libgl1-mesa-dri");
  if (f.drm_cards.empty())
    return make("display", CheckLevel::kWarn, "no DRM device (/dev/dri/card*): screens cannot be driven here",
                "enable the vc4-kms-v3d overlay in config.txt and check the HDMI cable; in a chroot this is expected");
  if (f.connected && !*f.connected)
    return make("display", CheckLevel::kWarn,
                "no display: no monitor connected to " + join(f.drm_cards) +
                    " (the service runs on without one and starts the screens when one is connected)",
                "connect the monitor or switch the TV on; check the HDMI cable");
  return make("display", CheckLevel::kOk, "KMSDRM with " + join(f.drm_cards));
}

const std::vector<std::string>& required_gst_elements() {
  static const std::vector<std::string> v = {"uridecodebin", "videoconvert", "appsink", "pngdec", "vp8dec"};
  return v;
}
const std::vector<std::string>& optional_gst_elements() {
  static const std::vector<std::string> v = {"avdec_h264", "vp8enc", "webmmux", "alsasink"};
  return v;
}

CheckResult check_gstreamer(const GstFacts& f) {
  if (!f.initialised)
    return make("gstreamer", CheckLevel::kFail, "GStreamer did not initialise: " + f.init_error,
                "apt-get install gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-libav");
  std::vector<std::string> required, optional;
  for (const auto& m : f.missing) {
    auto& r = required_gst_elements();
    (std::find(r.begin(), r.end(), m) != r.end() ? required : optional).push_back(m);
  }
  if (!required.empty())
    return make("gstreamer", CheckLevel::kFail, "missing elements " + join(required),
                "apt-get install gstreamer1.0-plugins-base gstreamer1.0-plugins-good");
  if (!optional.empty())
    return make("gstreamer", CheckLevel::kWarn,
                "missing elements " + join(optional) + " (H.264 video, --record or sound will not work)",
                "apt-get install gstreamer1.0-libav gstreamer1.0-plugins-good gstreamer1.0-alsa");
  return make("gstreamer", CheckLevel::kOk,
              "all " + std::to_string(required_gst_elements().size() + optional_gst_elements().size()) + " elements present");
}

CheckResult check_bluetooth(const BluetoothFacts& f, bool needed) {
  CheckLevel bad = CheckLevel::kWarn;  // the screen plays without Bluetooth: never a failure
  std::string suffix = needed ? " (beacon and presence counting are off until this is fixed)" : "";
  if (!f.bus)
    return make("bluetooth", bad, "system D-Bus not reachable" + suffix, "systemctl start dbus; check DBUS_SYSTEM_BUS_ADDRESS");
  if (!f.bluez)
    return make("bluetooth", bad, "BlueZ not running" + suffix, "apt-get install bluez; systemctl enable --now bluetooth");
  if (f.adapters == 0)
    return make("bluetooth", bad, "no Bluetooth adapter" + suffix,
                "check firmware-brcm80211 and that no dtoverlay=disable-bt is set; rfkill unblock bluetooth");
  if (f.powered == 0)
    return make("bluetooth", bad, std::to_string(f.adapters) + " adapter(s), none powered" + suffix,
                "bluetoothctl power on; set AutoEnable=true in /etc/bluetooth/main.conf");
  return make("bluetooth", CheckLevel::kOk, std::to_string(f.adapters) + " adapter(s), " + std::to_string(f.powered) + " powered");
}

CheckResult check_clock(bool synchronized) {
  if (synchronized) return make("clock", CheckLevel::kOk, "synchronised since boot");
  return make("clock", CheckLevel::kWarn, "not synchronised: only the default playlist plays until it is",
              "systemctl enable --now systemd-timesyncd and allow NTP (udp/123) to the network");
}

CheckResult check_disk(const DiskFacts& f) {
  constexpr uint64_t kFailBelow = 100ull << 20, kWarnBelow = 500ull << 20;
  if (!f.writable)
    return make("disk", CheckLevel::kFail, f.path + " is not writable",
                "run as the branchcast user or set BRANCHCAST_STATE_DIR to a writable folder");
  std::string free = gib(f.free_bytes) + " free of " + gib(f.total_bytes) + " at " + f.path;
  if (f.free_bytes < kFailBelow)
    return make("disk", CheckLevel::kFail, free, "free space on the data partition (old content, logs)");
  if (f.free_bytes < kWarnBelow)
    return make("disk", CheckLevel::kWarn, free, "free space on the data partition (old content, logs)");
  return make("disk", CheckLevel::kOk, free);
}

CheckResult check_state_database(const StateDatabaseFacts& f) {
  if (!f.folder_writable)
    return make("state", CheckLevel::kWarn,
                f.problem + ": the daemon plays with an in-memory store (or keeps proof of play in memory)",
                "free space, or remount the card read-write; a card that went read-only by itself is failing: replace it");
  if (!f.usable)
    return make("state", CheckLevel::kWarn,
                f.path + " is damaged (" + f.problem + "): the daemon moves it aside and starts a fresh one",
                "if this repeats, replace the SD card");
  if (!f.moved_aside.empty())
    return make("state", CheckLevel::kWarn,
                std::to_string(f.moved_aside.size()) + " damaged database(s) kept for diagnosis, latest " +
                    f.moved_aside.back(),
                "copy them off for diagnosis, then delete them; if this repeats, replace the SD card");
  return make("state", CheckLevel::kOk, f.path + (f.exists ? " is healthy" : " will be created at the first run"));
}

CheckResult check_config(const std::string& path, const std::vector<Error>& errors, bool readable) {
  if (!readable) return make("config", CheckLevel::kFail, path + " cannot be read", "check the --config path");
  if (errors.empty()) return make("config", CheckLevel::kOk, path + " is valid");
  const auto& w = errors.front().where;
  std::string first = w.file.empty() ? std::string() :
      ", first at " + w.file + (w.line ? ":" + std::to_string(w.line) : "") + (w.column ? ":" + std::to_string(w.column) : "");
  return make("config", CheckLevel::kFail, std::to_string(errors.size()) + " error(s)" + first,
              "run `branchcast validate " + path + "` for the details");
}

CheckResult check_network(const std::vector<HostFacts>& hosts, bool offline) {
  if (offline) return make("network", CheckLevel::kOk, "skipped (--offline)");
  if (hosts.empty()) return make("network", CheckLevel::kOk, "no network feeds configured");
  std::vector<std::string> bad;
  for (const auto& h : hosts) {
    if (!h.resolved) bad.push_back(h.feed_id + " (" + h.host + "): DNS lookup failed");
    else if (!h.reachable) bad.push_back(h.feed_id + " (" + h.host + "): " + (h.error.empty() ? "no answer" : h.error));
  }
  if (bad.empty()) return make("network", CheckLevel::kOk, std::to_string(hosts.size()) + " feed host(s) reachable");
  // Feeds are cached and retried: the screens keep playing, so this warns.
  return make("network", CheckLevel::kWarn, join(bad, "; "),
              "check the network connection, DNS (resolvectl status) and any proxy or firewall");
}

std::string url_host(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  std::string rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') return rest.substr(1, rest.find(']') - 1);
  return rest.substr(0, rest.find(':'));
}

}  // namespace branchcast
