#include "services/sysfs_sensors.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace branchcast {
namespace {

std::optional<std::string> read_small(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);
  auto t = trim(line);
  if (t.empty()) return std::nullopt;
  return std::string(t);
}

}  // namespace

SensorReadings read_sysfs_sensors(const std::string& root) {
  std::string base = root.empty() || root == "/" ? "" : (root.back() == '/' ? root.substr(0, root.size() - 1) : root);
  SensorReadings r;
  if (auto t = read_small(base + "/sys/class/thermal/thermal_zone0/temp")) {
    char* end = nullptr;
    long milli = std::strtol(t->c_str(), &end, 10);
    if (end && *end == '\0') r.cpu_temperature_c = static_cast<double>(milli) / 1000.0;
  }
  if (auto t = read_small(base + "/sys/devices/platform/soc/soc:firmware/get_throttled")) {
    std::string s = *t;
    if (starts_with(s, "0x") || starts_with(s, "0X")) s = s.substr(2);
    char* end = nullptr;
    unsigned long v = std::strtoul(s.c_str(), &end, 16);
    if (!s.empty() && end && *end == '\0') r.throttled = static_cast<uint32_t>(v);
  }
  return r;
}

}  // namespace branchcast
