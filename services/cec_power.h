// HDMI-CEC power schedule (pure): the CEC frames, and a deadline-style controller that decides
// when to send them and whether the TV obeyed.
//
// How the loop uses TvPowerController, per screen with `power:` set:
//   set_wanted(scheduler.awake_at(now), now) whenever it may have changed (each scheduler tick);
//   at next_deadline(), step = tick(now); perform the step with the cec_ adapter (CecDevice, on a
//   worker: ioctls block up to ~1 s) and post the outcome back: on_transmit(acked, now) after
//   kPowerOn/kStandby, on_power_status(status, now) after kQueryStatus.
// render_black(): the screen must render black (wanted off: the fallback when the TV ignores CEC
// or has none). tv_obeyed(): for health and metrics; unset until verified or without CEC.
// Loop thread only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "common/clock_step.h"
#include "common/result.h"
#include "common/time.h"

namespace branchcast {

// A CEC message as on the wire: header (initiator << 4 | destination), opcode, operands.
struct CecFrame {
  std::array<uint8_t, 16> bytes{};
  uint8_t len = 0;
  uint8_t opcode() const { return len > 1 ? bytes[1] : 0; }
  uint8_t destination() const { return bytes[0] & 0x0f; }
};

inline constexpr uint8_t kCecTv = 0x0;
inline constexpr uint8_t kCecBroadcast = 0xf;
inline constexpr uint8_t kCecOpImageViewOn = 0x04;
inline constexpr uint8_t kCecOpStandby = 0x36;
inline constexpr uint8_t kCecOpActiveSource = 0x82;
inline constexpr uint8_t kCecOpGiveDevicePowerStatus = 0x8f;
inline constexpr uint8_t kCecOpReportPowerStatus = 0x90;

enum class CecPowerStatus : uint8_t { kOn = 0, kStandby = 1, kToOn = 2, kToStandby = 3 };

CecFrame cec_image_view_on(uint8_t from);
CecFrame cec_active_source(uint8_t from, uint16_t physical_address);  // broadcast
CecFrame cec_standby(uint8_t from, uint8_t to = kCecTv);
CecFrame cec_give_device_power_status(uint8_t from, uint8_t to = kCecTv);
// The status in a <Report Power Status> frame; nullopt for any other or malformed frame.
std::optional<CecPowerStatus> parse_report_power_status(const CecFrame& f);

class TvPowerController {
 public:
  struct Options {
    Duration verify_after{15'000};  // ask the TV's power status this long after a command
    Duration retry_every{60'000};   // re-send when the TV did not obey
    int max_attempts = 3;           // then give up (until the wanted state changes) and report
  };
  enum class Step { kNone, kPowerOn, kStandby, kQueryStatus };

  explicit TvPowerController(bool cec_available, Options options);
  explicit TvPowerController(bool cec_available) : TvPowerController(cec_available, Options{}) {}

  void set_wanted(bool on, TimePoint now);
  TimePoint next_deadline() const { return deadline_; }
  Step tick(TimePoint now);
  // The wall clock stepped (common/clock_step.h): a pending verify or retry keeps its wait.
  void clock_stepped(Duration step) { deadline_ = shift_deadline(deadline_, step); }
  void on_transmit(bool acked, TimePoint now);
  void on_power_status(std::optional<CecPowerStatus> status, TimePoint now);

  bool wanted_on() const { return wanted_on_; }
  bool render_black() const { return wanted_known_ && !wanted_on_; }
  std::optional<bool> tv_obeyed() const { return obeyed_; }
  // Why the TV is considered disobedient ("no acknowledgement", "reports standby"), for the log.
  const std::string& problem() const { return problem_; }

 private:
  enum class Phase { kIdle, kSend, kVerify, kGaveUp };
  void fail(std::string why, TimePoint now);

  bool cec_;
  Options options_;
  bool wanted_known_ = false;
  bool wanted_on_ = true;
  Phase phase_ = Phase::kIdle;
  int attempts_ = 0;
  TimePoint deadline_ = TimePoint::max();
  std::optional<bool> obeyed_;
  std::string problem_;
};

// An HDMI-CEC adapter as the power wiring uses it: CecDevice (services/cec_device.h) in the
// product, a recording fake in tests. Calls block (kernel acks, replies); one thread at a time.
class CecPort {
 public:
  virtual ~CecPort() = default;
  // kPowerOn / kStandby: whether the TV acknowledged. Other steps are errors.
  virtual Result<bool> perform(TvPowerController::Step step) = 0;
  // The TV's answer to <Give Device Power Status>; nullopt when it did not answer.
  virtual Result<std::optional<CecPowerStatus>> query_power_status() = 0;
};

}  // namespace branchcast
