// Eddystone-EID (pure): the rotating identifier a patron's phone advertises, and its resolver.
//
// Computation (Eddystone-EID specification, "EID computation"), with AES-128 in ECB mode:
//   temporary key = AES(identity key, 0x00 x11 || 0xFF || 0x00 x2 || counter bits 31..16, big-endian)
//   EID           = first 8 bytes of AES(temporary key, 0x00 x11 || K || counter with its low K bits
//                   cleared, 32-bit big-endian)
// where counter = seconds since the patron's epoch and K (0..15) the rotation exponent: a new EID
// every 2^K seconds.
//
// Keys and EIDs are secrets: nothing here logs, and callers must never log or store them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "common/time.h"

namespace branchcast::ble {

using IdentityKey = std::array<uint8_t, 16>;
using Eid = std::array<uint8_t, 8>;

inline constexpr int kMaxRotationExponent = 15;

std::array<uint8_t, 16> eid_temporary_key(const IdentityKey& key, uint32_t counter);
Eid compute_eid(const IdentityKey& key, uint32_t counter, int rotation_exponent);
// The counter at `now` for a patron whose counter started at `epoch` (Unix seconds); nullopt before
// the epoch or past the 32-bit range.
std::optional<uint32_t> eid_counter(int64_t epoch, TimePoint now);

struct EidEnrollment {
  IdentityKey key{};
  int64_t epoch = 0;
  int rotation = 10;  // K, 0..15 (clamped)
};

// Recognises enrolled patrons from EIDs heard over the air. For each patron it keeps the EIDs of the
// current, previous and next rotation period (clock skew of one period either way) in a hash map:
// resolve() is O(1). refresh(now) recomputes only patrons whose period rolled since the last call;
// call it before resolve() with the same `now` (resolve() refreshes itself too).
// Not thread-safe: one owner (the loop thread).
class EidResolver {
 public:
  explicit EidResolver(std::vector<EidEnrollment> patrons);
  // Index into the enrolment vector of the patron advertising `eid` at `now`, or nullopt.
  std::optional<size_t> resolve(const Eid& eid, TimePoint now);
  void refresh(TimePoint now);
  size_t patron_count() const { return patrons_.size(); }
  // When refresh() next has work to do.
  TimePoint next_change() const { return next_change_; }

 private:
  struct Slot {
    EidEnrollment e;
    int64_t quantum = -1;          // counter >> K of the EIDs held
    std::array<uint64_t, 3> ids{};  // previous, current, next (as map keys)
    int held = 0;
  };
  void recompute(size_t index, TimePoint now);
  std::vector<Slot> patrons_;
  std::unordered_map<uint64_t, size_t> by_eid_;
  TimePoint next_change_ = TimePoint::min();
  TimePoint last_refresh_ = TimePoint::max();
};

}  // namespace branchcast::ble
