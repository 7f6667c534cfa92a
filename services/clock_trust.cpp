#include "services/clock_trust.h"

namespace branchcast {

ClockTrust::ClockTrust(std::function<bool()> synchronized, std::function<Status(TimePoint)> save,
                       std::optional<TimePoint> last_good, Logger log, Options options)
    : synchronized_(std::move(synchronized)), save_(std::move(save)), last_good_(last_good),
      log_(std::move(log)), options_(options) {}

bool ClockTrust::trusted(TimePoint now) {
  if (!trusted_) tick(now);
  return trusted_;
}

void ClockTrust::tick(TimePoint now) {
  // A deadline further away than a period means the wall clock jumped back: act now.
  Duration period = trusted_ ? options_.save_every : options_.probe_every;
  if (now < next_ && next_ - now <= period) return;
  if (!trusted_) {
    if (!synchronized_()) {
      next_ = now + options_.probe_every;
      return;
    }
    trusted_ = true;
    log_.info("system clock synchronised: schedule rules enabled");
  }
  save(now);
  next_ = now + options_.save_every;
}

void ClockTrust::save(TimePoint now) {
  if (last_good_ && now < *last_good_) {
    log_.warn("synchronised clock is earlier than the last known good time; keeping the saved time");
    return;
  }
  last_good_ = now;
  if (auto s = save_(now); !s) log_.warn("cannot save the last known good time: " + s.error().message);
}

TimePoint ClockTrust::estimate(TimePoint now) const {
  if (!trusted_ && last_good_ && now < *last_good_) return *last_good_;
  return now;
}

ScheduleInputs untrusted_clock_inputs(ScheduleInputs inputs) {
  inputs.playlist.rules.clear();
  inputs.hours = BranchHours{};
  inputs.closures_feed.clear();
  inputs.power.reset();
  return inputs;
}

}  // namespace branchcast
