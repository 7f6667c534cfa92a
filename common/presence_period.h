// One presence period: how many devices were near one screen during one report period.
//
// PresenceReporter (ble/presence.h) produces it from periodic samples of the presence count: the
// period [start, end) is aligned to a multiple of the report period since the Unix epoch (so 15m
// periods start on the quarter hour in every zone with a whole-quarter-hour offset); `devices` is
// the mean of the samples taken in it, rounded (the average number of devices present), `peak` the
// largest sample and `samples` how many samples it rests on. A period without samples is never
// produced (the appliance was off). PresenceRepository (store/presence_repository.h) stores it as
// one row per (screen, start); the presence report, the audience report and fleet telemetry read it.
//
// It holds counts only: never an address, hash, salt, payload or any patron or device identifier,
// so it may reach disk, logs and the network as it is.
#pragma once

#include <string>

#include "common/time.h"

namespace branchcast {

struct PresencePeriod {
  TimePoint start{};
  TimePoint end{};
  std::string screen;  // the screen's id; "" or "*" stands for the whole appliance
  int devices = 0;     // mean of the samples, rounded
  int peak = 0;        // largest sample
  int samples = 0;     // samples taken in the period
  bool operator==(const PresencePeriod&) const = default;
};

}  // namespace branchcast
