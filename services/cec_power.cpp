#include "services/cec_power.h"

namespace branchcast {
namespace {

CecFrame frame(uint8_t from, uint8_t to, std::initializer_list<uint8_t> rest) {
  CecFrame f;
  f.bytes[0] = static_cast<uint8_t>((from & 0x0f) << 4 | (to & 0x0f));
  f.len = 1;
  for (uint8_t b : rest) f.bytes[f.len++] = b;
  return f;
}

}  // namespace

CecFrame cec_image_view_on(uint8_t from) { return frame(from, kCecTv, {kCecOpImageViewOn}); }
CecFrame cec_active_source(uint8_t from, uint16_t pa) {
  return frame(from, kCecBroadcast, {kCecOpActiveSource, static_cast<uint8_t>(pa >> 8), static_cast<uint8_t>(pa & 0xff)});
}
CecFrame cec_standby(uint8_t from, uint8_t to) { return frame(from, to, {kCecOpStandby}); }
CecFrame cec_give_device_power_status(uint8_t from, uint8_t to) {
  return frame(from, to, {kCecOpGiveDevicePowerStatus});
}

std::optional<CecPowerStatus> parse_report_power_status(const CecFrame& f) {
  if (f.len != 3 || f.opcode() != kCecOpReportPowerStatus || f.bytes[2] > 3) return std::nullopt;
  return static_cast<CecPowerStatus>(f.bytes[2]);
}

TvPowerController::TvPowerController(bool cec_available, Options options)
    : cec_(cec_available), options_(options) {}

void TvPowerController::set_wanted(bool on, TimePoint now) {
  if (wanted_known_ && on == wanted_on_) return;
  wanted_known_ = true;
  wanted_on_ = on;
  attempts_ = 0;
  if (!cec_) return;  // render_black() is the whole fallback
  phase_ = Phase::kSend;
  deadline_ = now;
}

TvPowerController::Step TvPowerController::tick(TimePoint now) {
  if (now < deadline_) return Step::kNone;
  deadline_ = TimePoint::max();
  switch (phase_) {
    case Phase::kSend:
      ++attempts_;
      return wanted_on_ ? Step::kPowerOn : Step::kStandby;
    case Phase::kVerify:
      return Step::kQueryStatus;
    default:
      return Step::kNone;
  }
}

void TvPowerController::on_transmit(bool acked, TimePoint now) {
  if (phase_ != Phase::kSend) return;
  if (!acked) return fail("the TV did not acknowledge the command", now);
  phase_ = Phase::kVerify;
  deadline_ = now + options_.verify_after;
}

void TvPowerController::on_power_status(std::optional<CecPowerStatus> status, TimePoint now) {
  if (phase_ != Phase::kVerify) return;
  if (!status) return fail("the TV did not report its power status", now);
  bool on = *status == CecPowerStatus::kOn || *status == CecPowerStatus::kToOn;
  if (on != wanted_on_) return fail(std::string("the TV reports ") + (on ? "on" : "standby"), now);
  obeyed_ = true;
  problem_.clear();
  phase_ = Phase::kIdle;
}

void TvPowerController::fail(std::string why, TimePoint now) {
  obeyed_ = false;
  problem_ = std::move(why);
  if (attempts_ >= options_.max_attempts) {
    phase_ = Phase::kGaveUp;
    deadline_ = TimePoint::max();
    return;
  }
  phase_ = Phase::kSend;
  deadline_ = now + options_.retry_every;
}

}  // namespace branchcast
