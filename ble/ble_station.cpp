#include "ble/ble_station.h"

#include <algorithm>

namespace branchcast::ble {

BleStation::BleStation(const ApplianceSettings& settings, BleRadio& radio, Logger log,
                       PresenceService::PeriodFn on_period, EidResolver* resolver, PresenceService::PatronFn on_patron)
    : beacon_(settings.beacon),
      presence_(settings.presence),
      radio_(radio),
      log_(std::move(log)),
      on_period_(std::move(on_period)),
      service_("", settings.presence, settings.beacon,
               [this](const PresencePeriod& p) {
                 for (const auto& screen : screens_) {
                   PresencePeriod copy = p;
                   copy.screen = screen;
                   if (on_period_) on_period_(copy);
                 }
               },
               resolver, std::move(on_patron)) {
  for (const auto& s : settings.screens) screens_.push_back(s.id);
}

void BleStation::advertise(TimePoint now) {
  TlmState tlm;
  tlm.uptime = now - started_;
  const auto interval = std::max<int64_t>(beacon_.interval.count(), 20);
  tlm.adv_count = static_cast<uint32_t>(tlm.uptime.count() / interval);
  auto plan = beacon_adverts(beacon_, tlm);
  if (!warned_) {
    for (const auto& w : plan.warnings) log_.warn(w);
    warned_ = true;
  }
  radio_.advertise(std::move(plan.adverts));
  next_tlm_ = beacon_.eddystone_tlm ? now + kTlmEvery : TimePoint::max();
}

void BleStation::start(TimePoint now) {
  started_ = now;
  if (beacon_.enabled) advertise(now);
  if (presence_.enabled) {
    // Weaker than the threshold minus the hysteresis band is never "near": let BlueZ drop it.
    radio_.scan(presence_.rssi_threshold - 15, [this](const RadioSighting& s) { service_.on_sighting(s); });
  }
}

void BleStation::tick(const Turn& turn) {
  const TimePoint now = turn.now;
  if (beacon_.enabled && now >= next_tlm_) advertise(now);
  if (radio_.next_deadline(now) <= now) radio_.tick(turn);
  if (presence_.enabled) service_.tick(now);
  if (on_level_) on_level_(presence_.enabled ? service_.level(now) : PresenceLevel::kEmpty, now);
}

void BleStation::clock_stepped(Duration step, const Turn& turn) {
  started_ += step;
  next_tlm_ = shift_deadline(next_tlm_, step);
  radio_.clock_stepped(step, turn);
  service_.clock_stepped(step);
}

TimePoint BleStation::next_deadline(TimePoint now) const {
  TimePoint next = std::min(next_tlm_, radio_.next_deadline(now));
  if (presence_.enabled) next = std::min(next, service_.next_deadline());
  return next;
}

void BleStation::stop() {
  if (presence_.enabled) service_.flush();
  radio_.stop_scan();
}

}  // namespace branchcast::ble
