// The facts `branchcast doctor` judges (services/doctor.h), gathered from the OS. Each probe is
// in the adapter target of its technology; none fails: what cannot be probed is reported in the
// facts. Any thread; each blocks for at most a few seconds.
#pragma once

#include <string>
#include <vector>

#include "common/http_client.h"
#include "services/doctor.h"

namespace branchcast {

// SDL's compiled-in video drivers (no window is opened) and <dev_root>/dev/dri/card*.
// Target branchcast_services_sdl.
DisplayFacts probe_display(const std::string& dev_root = "/");

// gst_init_check and a registry lookup of each element factory. Target branchcast_services_gst.
GstFacts probe_gstreamer(const std::vector<std::string>& elements);

// BlueZ's ObjectManager on the system bus ($DBUS_SYSTEM_BUS_ADDRESS honoured): adapters and
// whether they are powered. Never reads adapter addresses. Target branchcast_services_dbus.
BluetoothFacts probe_bluetooth();

// statvfs and access(W_OK) of `path`, or of its nearest existing parent when it does not exist
// yet. Target branchcast_services_sysfs.
DiskFacts probe_disk(const std::string& path);

// DNS lookup of the URL's host, then a HEAD request (5 s limits) through `http`. The facts name
// the feed and host only. Target branchcast_services_sysfs.
HostFacts probe_feed_host(const std::string& feed_id, const std::string& url, HttpClient& http);

}  // namespace branchcast
