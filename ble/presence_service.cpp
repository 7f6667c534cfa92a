#include "ble/presence_service.h"

namespace branchcast::ble {

PresenceService::PresenceService(std::string screen, const PresenceSettings& presence, BeaconSettings own_beacon,
                                 PeriodFn on_period, EidResolver* resolver, PatronFn on_patron)
    : counter_(presence_options(presence)),
      reporter_(std::move(screen), presence.report_every),
      own_beacon_(std::move(own_beacon)),
      on_period_(std::move(on_period)),
      resolver_(resolver),
      on_patron_(std::move(on_patron)) {}

void PresenceService::on_sighting(const RadioSighting& s) {
  // Undecodable payloads still count as a device: only the frames we recognise are interpreted.
  auto frames = decode_advert(s.payload);
  if (frames) {
    if (is_own_beacon(*frames, own_beacon_)) {
      ++own_;
      return;
    }
    if (resolver_ && on_patron_) {
      for (const Frame& f : *frames) {
        if (const auto* eid = std::get_if<EddystoneEidFrame>(&f)) {
          if (auto patron = resolver_->resolve(eid->eid, s.at)) on_patron_(*patron, s.at);
        }
      }
    }
  }
  counter_.observe(s.device, s.rssi, s.at);
}

void PresenceService::tick(TimePoint now) {
  if (now < next_sample_) return;
  next_sample_ = now + kSampleEvery;
  for (const auto& p : reporter_.sample(now, counter_.count(now))) {
    if (on_period_) on_period_(p);
  }
}

void PresenceService::flush() {
  for (const auto& p : reporter_.flush()) {
    if (on_period_) on_period_(p);
  }
}

}  // namespace branchcast::ble
