#include "ble/presence.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace branchcast::ble {
namespace {
// How much later than a newcomer's first sighting its predecessor may still have been heard.
constexpr int64_t kRotationSlackMs = 5'000;
}  // namespace

PresenceOptions presence_options(const PresenceSettings& s) {
  PresenceOptions o;
  o.rssi_threshold = s.rssi_threshold;
  o.window = s.window;
  return o;
}

size_t PresenceCounter::KeyHash::operator()(const DeviceId& k) const noexcept {
  // The key is already a keyed hash: its first bytes are uniformly distributed.
  size_t h;
  std::memcpy(&h, k.data(), sizeof h);
  return h;
}

PresenceCounter::PresenceCounter(PresenceOptions options) : options_(options) {
  devices_.reserve(std::min<size_t>(options_.max_devices, 4096));
}

int PresenceCounter::median(const Device& d) {
  std::array<int8_t, 5> s = d.samples;
  auto end = s.begin() + d.n;
  auto mid = s.begin() + d.n / 2;
  std::nth_element(s.begin(), mid, end);
  return *mid;
}

void PresenceCounter::erase(Map::iterator it) {
  if (it->second.near) --near_count_;
  lru_.erase(it->second.lru);
  devices_.erase(it);
}

PresenceCounter::Map::iterator PresenceCounter::find_or_link(const HashedAddress& id) {
  auto it = devices_.find(id.current);
  if (it != devices_.end() || !id.previous) return it;
  // Seen under the previous salt: move the entry to its current identity.
  auto old = devices_.find(*id.previous);
  if (old == devices_.end()) return devices_.end();
  Device d = old->second;
  devices_.erase(old);
  *d.lru = id.current;
  return devices_.emplace(id.current, d).first;
}

bool PresenceCounter::try_handoff(int64_t at_ms, int64_t first_seen_ms) {
  if (options_.handoff_gap.count() <= 0) return false;
  // Look at a few of the least recently seen identities for a near one that fell silent.
  int looked = 0;
  for (auto r = lru_.rbegin(); r != lru_.rend() && looked < 8; ++r, ++looked) {
    auto it = devices_.find(*r);
    if (it == devices_.end()) continue;
    const Device& old = it->second;
    // A predecessor fell silent before (or as) the newcomer appeared, and has stayed silent.
    if (old.near && at_ms - old.last_seen_ms >= options_.handoff_gap.count() &&
        old.last_seen_ms <= first_seen_ms + kRotationSlackMs) {
      erase(it);
      ++handoffs_;
      return true;
    }
  }
  return false;
}

void PresenceCounter::observe(const HashedAddress& id, int rssi, TimePoint at) {
  const int64_t at_ms = at.time_since_epoch().count();
  const auto sample = static_cast<int8_t>(std::clamp(rssi, -128, 127));
  auto it = find_or_link(id);
  if (it == devices_.end()) {
    if (devices_.size() >= options_.max_devices) tick(at);
    if (devices_.size() >= options_.max_devices) {
      ++dropped_;
      return;
    }
    lru_.push_front(id.current);
    it = devices_.emplace(id.current, Device{}).first;
    it->second.lru = lru_.begin();
    it->second.last_seen_ms = at_ms;
    it->second.first_seen_ms = at_ms;
  }
  Device& d = it->second;
  d.samples[d.next] = sample;
  d.next = static_cast<uint8_t>((d.next + 1) % d.samples.size());
  if (d.n < d.samples.size()) ++d.n;
  const int m = median(d);
  if (!d.near && m >= options_.rssi_threshold) {
    d.near = true;
    ++near_count_;
  } else if (d.near && m < options_.rssi_threshold - options_.hysteresis_db) {
    d.near = false;
    --near_count_;
  }
  if (at_ms >= d.last_seen_ms) {
    d.last_seen_ms = at_ms;
    lru_.splice(lru_.begin(), lru_, d.lru);
  }
  if (d.near && !d.paired && at_ms - d.first_seen_ms <= options_.pairing_period.count()) {
    d.paired = try_handoff(at_ms, d.first_seen_ms);  // never removes d: it was just seen
  }
}

void PresenceCounter::tick(TimePoint now) {
  const int64_t cutoff = now.time_since_epoch().count() - options_.window.count();
  while (!lru_.empty()) {
    auto it = devices_.find(lru_.back());
    if (it == devices_.end()) {
      lru_.pop_back();
      continue;
    }
    if (it->second.last_seen_ms >= cutoff) break;
    erase(it);
  }
}

int PresenceCounter::count(TimePoint now) {
  tick(now);
  return near_count_;
}

void PresenceCounter::clock_stepped(Duration step) {
  for (auto& [id, d] : devices_) {
    d.first_seen_ms += step.count();
    d.last_seen_ms += step.count();
  }
}

PresenceLevel PresenceCounter::level(TimePoint now) {
  const int n = count(now);
  if (n >= options_.busy_at) return PresenceLevel::kBusy;
  if (n >= options_.some_at) return PresenceLevel::kSome;
  return PresenceLevel::kEmpty;
}

PresenceReporter::PresenceReporter(std::string screen, Duration report_every)
    : screen_(std::move(screen)), every_(report_every.count() > 0 ? report_every : Duration(60'000)) {}

PresencePeriod PresenceReporter::close() const {
  PresencePeriod p;
  p.start = start_;
  p.end = start_ + every_;
  p.screen = screen_;
  p.samples = samples_;
  p.peak = peak_;
  p.devices = samples_ ? static_cast<int>(std::lround(static_cast<double>(sum_) / samples_)) : 0;
  return p;
}

std::vector<PresencePeriod> PresenceReporter::sample(TimePoint now, int count) {
  std::vector<PresencePeriod> done;
  const int64_t ms = now.time_since_epoch().count();
  const int64_t e = every_.count();
  const TimePoint start{Duration((ms >= 0 ? ms / e : (ms - e + 1) / e) * e)};
  if (open_ && start != start_) {
    if (samples_ > 0) done.push_back(close());
    open_ = false;
  }
  if (!open_) {
    open_ = true;
    start_ = start;
    sum_ = 0;
    peak_ = 0;
    samples_ = 0;
  }
  sum_ += count;
  peak_ = std::max(peak_, count);
  ++samples_;
  return done;
}

std::vector<PresencePeriod> PresenceReporter::flush() {
  std::vector<PresencePeriod> out;
  if (open_ && samples_ > 0) out.push_back(close());
  open_ = false;
  return out;
}

}  // namespace branchcast::ble
