// Raspberry Pi sensors from sysfs: SoC temperature and the firmware's throttling flags.
//
// `root` is the filesystem root ("/" on the appliance; a scratch folder in tests). Reads
// <root>/sys/class/thermal/thermal_zone0/temp (millidegrees) and
// <root>/sys/devices/platform/soc/soc:firmware/get_throttled (hex mask). A missing or unreadable
// file leaves that reading unset; it never fails. Any thread (reads two small files).
#pragma once

#include <string>

#include "services/health_report.h"

namespace branchcast {

SensorReadings read_sysfs_sensors(const std::string& root = "/");

}  // namespace branchcast
