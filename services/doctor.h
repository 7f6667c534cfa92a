// `branchcast doctor`: the checks' verdicts from probe values (pure), one line each.
//
// Probes (services/doctor_probes.h) gather facts from the OS; these functions turn facts into
// ok/warn/fail with a fix hint. Only hardware or services the appliance cannot play without
// fail; what degrades gracefully (Bluetooth, DRM in a chroot, clock not yet synced) warns. No
// verdict ever contains a URL, key, token, address or identifier: feeds are named by id and host.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace branchcast {

enum class CheckLevel { kOk, kWarn, kFail };

struct CheckResult {
  std::string name;     // "display", "gstreamer", ...
  CheckLevel level = CheckLevel::kOk;
  std::string message;
  std::string hint;     // how to fix (warn/fail)
};

// "ok   display: ...", "warn bluetooth: ...; fix: ...", "fail ...; fix: ...".
std::string format_check(const CheckResult& r);
// 0 when nothing failed, 1 otherwise.
int doctor_exit_code(const std::vector<CheckResult>& results);

struct DisplayFacts {
  std::vector<std::string> sdl_drivers;  // compiled-in SDL video drivers ("KMSDRM", "x11", "offscreen")
  std::vector<std::string> drm_cards;    // /dev/dri/card*
  bool needs_kms = false;                // a screen has output kms or auto
  // Libraries SDL's KMSDRM output loads at run time and cannot open a window without (EGL, GLES 2,
  // GBM) that the dynamic loader could not find.
  std::vector<std::string> missing_gpu_libraries;
  // Does a DRM connector report a monitor (/sys/class/drm/card*-*/status "connected")? Unset when
  // there are no connectors to ask (no DRM device, a chroot).
  std::optional<bool> connected;
};
CheckResult check_display(const DisplayFacts& f);

struct GstFacts {
  bool initialised = false;
  std::string init_error;
  std::vector<std::string> missing;  // element factories not found
};
// Elements the player cannot work without, and those only some features need.
const std::vector<std::string>& required_gst_elements();
const std::vector<std::string>& optional_gst_elements();
CheckResult check_gstreamer(const GstFacts& f);

struct BluetoothFacts {
  bool bus = false;              // the system bus could be reached
  bool bluez = false;            // org.bluez answered
  int adapters = 0;
  int powered = 0;
  std::string error;             // why not (no secrets: D-Bus error text)
};
// `needed`: beacon or presence enabled.
CheckResult check_bluetooth(const BluetoothFacts& f, bool needed);

CheckResult check_clock(bool synchronized);

struct DiskFacts {
  std::string path;              // the state dir (or the folder that will hold it)
  bool exists = false;
  bool writable = false;
  uint64_t free_bytes = 0;
  uint64_t total_bytes = 0;
};
CheckResult check_disk(const DiskFacts& f);

// The state database as inspect_state_database() (store/state_database.h) saw it, read-only.
struct StateDatabaseFacts {
  std::string path;
  bool exists = false;
  bool usable = true;                    // opens and passes quick_check (or is absent)
  bool folder_writable = true;           // false also when the disk is full
  std::string problem;                   // why not usable / not writable
  std::vector<std::string> moved_aside;  // damaged databases kept from earlier runs, oldest first
};
// Never fails: the daemon plays with damaged or unwritable storage (it moves a damaged file aside
// or runs in memory); what it would do, or did, warns.
CheckResult check_state_database(const StateDatabaseFacts& f);

// `errors`: the loader's errors (empty = valid). Only the count and the first error's position
// are printed (messages may quote values).
CheckResult check_config(const std::string& path, const std::vector<Error>& errors, bool readable);

struct HostFacts {
  std::string feed_id;
  std::string host;
  bool resolved = false;
  bool reachable = false;        // an HTTP answer of any status
  std::string error;             // transport error (no URL in it)
};
CheckResult check_network(const std::vector<HostFacts>& hosts, bool offline);

// "https://user:pw@host:8443/path?q" -> "host". Empty when there is no host (file:, malformed).
std::string url_host(const std::string& url);

}  // namespace branchcast
