#include "services/cec_device.h"

#include <fcntl.h>
#include <glob.h>
#include <linux/cec.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace branchcast {
namespace {

Error os_error(const std::string& path, const std::string& what) {
  return make_error(path + ": " + what + ": " + std::strerror(errno));
}

std::string first_cec_device(const std::string& dev_root) {
  std::string pattern = (dev_root == "/" ? std::string() : dev_root) + "/dev/cec*";
  glob_t g{};
  std::string found;
  if (::glob(pattern.c_str(), 0, nullptr, &g) == 0 && g.gl_pathc > 0) found = g.gl_pathv[0];
  ::globfree(&g);
  return found;
}

}  // namespace

Result<std::unique_ptr<CecDevice>> CecDevice::open(const std::string& path_in, const std::string& dev_root) {
  std::string path = path_in.empty() ? first_cec_device(dev_root) : path_in;
  if (path.empty()) return make_error("no HDMI-CEC device (/dev/cec*): TV power falls back to a black screen");
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return os_error(path, "cannot open");
  auto fail = [&](const char* what) {
    Error e = os_error(path, what);
    ::close(fd);
    return e;
  };
  cec_caps caps{};
  if (::ioctl(fd, CEC_ADAP_G_CAPS, &caps) != 0) return fail("not a CEC adapter");
  uint16_t phys = CEC_PHYS_ADDR_INVALID;
  if (::ioctl(fd, CEC_ADAP_G_PHYS_ADDR, &phys) != 0) return fail("cannot read the physical address");
  cec_log_addrs la{};
  if (::ioctl(fd, CEC_ADAP_G_LOG_ADDRS, &la) != 0) return fail("cannot read the logical addresses");
  if (la.num_log_addrs == 0 && (caps.capabilities & CEC_CAP_LOG_ADDRS)) {
    // Claim a Playback device address, as `cec-ctl --playback` does.
    la = {};
    la.cec_version = CEC_OP_CEC_VERSION_1_4;
    la.vendor_id = CEC_VENDOR_ID_NONE;
    la.num_log_addrs = 1;
    std::strncpy(la.osd_name, "Branchcast", sizeof la.osd_name - 1);
    la.primary_device_type[0] = CEC_OP_PRIM_DEVTYPE_PLAYBACK;
    la.log_addr_type[0] = CEC_LOG_ADDR_TYPE_PLAYBACK;
    la.all_device_types[0] = CEC_OP_ALL_DEVTYPE_PLAYBACK;
    if (::ioctl(fd, CEC_ADAP_S_LOG_ADDRS, &la) != 0) return fail("cannot claim a logical address");
  }
  if (la.num_log_addrs == 0 || la.log_addr[0] == CEC_LOG_ADDR_INVALID)
    return fail("no logical address (is an HDMI display connected?)");
  return std::unique_ptr<CecDevice>(new CecDevice(fd, path, la.log_addr[0], phys));
}

CecDevice::~CecDevice() { ::close(fd_); }

Result<bool> CecDevice::transmit(const CecFrame& frame) {
  cec_msg msg{};
  msg.len = frame.len;
  std::memcpy(msg.msg, frame.bytes.data(), frame.len);
  msg.msg[0] = static_cast<uint8_t>(logical_ << 4 | frame.destination());
  if (::ioctl(fd_, CEC_TRANSMIT, &msg) != 0) return os_error(path_, "transmit failed");
  return (msg.tx_status & CEC_TX_STATUS_OK) != 0;
}

Result<std::optional<CecPowerStatus>> CecDevice::query_power_status() {
  CecFrame q = cec_give_device_power_status(logical_);
  cec_msg msg{};
  msg.len = q.len;
  std::memcpy(msg.msg, q.bytes.data(), q.len);
  msg.reply = kCecOpReportPowerStatus;
  msg.timeout = 1000;
  if (::ioctl(fd_, CEC_TRANSMIT, &msg) != 0) return os_error(path_, "transmit failed");
  if (!(msg.tx_status & CEC_TX_STATUS_OK) || !(msg.rx_status & CEC_RX_STATUS_OK))
    return std::optional<CecPowerStatus>{};
  CecFrame reply;
  reply.len = static_cast<uint8_t>(std::min<uint32_t>(msg.len, 16));
  std::memcpy(reply.bytes.data(), msg.msg, reply.len);
  return parse_report_power_status(reply);
}

Result<bool> CecDevice::perform(TvPowerController::Step step) {
  using Step = TvPowerController::Step;
  if (step == Step::kStandby) return transmit(cec_standby(logical_));
  if (step != Step::kPowerOn) return make_error("not a transmission step");
  auto on = transmit(cec_image_view_on(logical_));
  if (!on || !*on) return on;
  auto active = transmit(cec_active_source(logical_, physical_));
  if (!active) return active.error();
  return true;
}

}  // namespace branchcast
