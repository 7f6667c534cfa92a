// cec_ adapter: the kernel HDMI-CEC interface (/dev/cecN, linux/cec.h), as cec-ctl uses it.
//
// open() claims a Playback logical address when the adapter has none. transmit() and
// query_power_status() block (the kernel waits for the ack, and up to 1 s for the reply), so the
// loop calls them from a worker and posts the outcome to TvPowerController. One thread at a time.
// Without any /dev/cec* (a Pi without CEC, a container, a chroot) open() fails cleanly and the
// loop runs TvPowerController(false): the black-screen fallback only.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "services/cec_power.h"

namespace branchcast {

class CecDevice final : public CecPort {
 public:
  // `path` "/dev/cec0", or empty for the first <dev_root>/dev/cec* found.
  static Result<std::unique_ptr<CecDevice>> open(const std::string& path, const std::string& dev_root = "/");
  ~CecDevice() override;
  CecDevice(const CecDevice&) = delete;
  CecDevice& operator=(const CecDevice&) = delete;

  const std::string& path() const { return path_; }
  uint8_t logical_address() const { return logical_; }
  uint16_t physical_address() const { return physical_; }

  // True when the destination acknowledged (always true for broadcasts that were sent).
  Result<bool> transmit(const CecFrame& frame);
  // <Give Device Power Status> to the TV and its <Report Power Status>; nullopt when the TV did
  // not answer within 1 s.
  Result<std::optional<CecPowerStatus>> query_power_status() override;
  // Performs a controller step: kPowerOn = <Image View On> then <Active Source>, kStandby =
  // <Standby>; returns whether the TV acknowledged. kQueryStatus/kNone are not transmissions.
  Result<bool> perform(TvPowerController::Step step) override;

 private:
  CecDevice(int fd, std::string path, uint8_t logical, uint16_t physical)
      : fd_(fd), path_(std::move(path)), logical_(logical), physical_(physical) {}
  int fd_;
  std::string path_;
  uint8_t logical_;
  uint16_t physical_;
};

}  // namespace branchcast
