// Clock trust: no schedule decision from a clock that has not been synchronised since boot.
//
// A Raspberry Pi has no RTC: until NTP syncs, the wall clock is whatever fake-hwclock restored
// (or 1970). ClockTrust latches "trusted" the first time the injected probe reports a
// synchronised clock (services/clock_probe.h: timesyncd's /run/systemd/timesync/synchronized,
// or the kernel's STA_UNSYNC flag clear) and, once trusted, saves the time as "last known good"
// every `save_every` (a file in the state dir) so a reboot without network knows a lower bound.
//
// How the loop uses it: until trusted(now), build each screen's Scheduler from
// untrusted_clock_inputs(inputs) (the default playlist, always awake: no rules, no opening hours,
// no power schedule); when trusted(now) first returns true, rebuild the Schedulers from the full
// inputs and start(now). Call tick(now) at next_deadline(). Loop thread only; pure apart from
// the injected probe and saver.
#pragma once

#include <functional>
#include <optional>

#include "common/log.h"
#include "common/result.h"
#include "common/time.h"
#include "scheduler/scheduler.h"

namespace branchcast {

class ClockTrust {
 public:
  struct Options {
    Duration probe_every{5'000};     // while untrusted
    Duration save_every{600'000};    // once trusted
  };
  // `synchronized`: true when the system clock is NTP-synchronised. `save`: persists the last
  // known good time. `last_good`: what was saved before (nullopt on first boot).
  ClockTrust(std::function<bool()> synchronized, std::function<Status(TimePoint)> save,
             std::optional<TimePoint> last_good, Logger log, Options options);
  ClockTrust(std::function<bool()> synchronized, std::function<Status(TimePoint)> save,
             std::optional<TimePoint> last_good, Logger log)
      : ClockTrust(std::move(synchronized), std::move(save), last_good, std::move(log), Options{}) {}

  // True once the clock has been synchronised since start (probes at most once per call).
  bool trusted(TimePoint now);
  TimePoint next_deadline() const { return next_; }
  // Probes (while untrusted) and saves the last known good time (while trusted) when due.
  void tick(TimePoint now);

  std::optional<TimePoint> last_known_good() const { return last_good_; }
  // Best guess of the time for logs while untrusted: never earlier than the last known good.
  TimePoint estimate(TimePoint now) const;

 private:
  void save(TimePoint now);

  std::function<bool()> synchronized_;
  std::function<Status(TimePoint)> save_;
  std::optional<TimePoint> last_good_;
  Logger log_;
  Options options_;
  bool trusted_ = false;
  TimePoint next_{};
};

// The inputs a screen plays with while the clock is untrusted: its default playlist, always
// awake (no rules, no opening hours, no power schedule).
ScheduleInputs untrusted_clock_inputs(ScheduleInputs inputs);

}  // namespace branchcast
