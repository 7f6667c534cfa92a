// Salted address hashing: the only form in which a device's identity exists beyond the radio adapter.
//
// hash() returns HMAC-SHA256(salt, address) truncated to 128 bits, under a random salt that is
// replaced at every multiple of `rotate_every` (UTC-aligned). The previous salt is kept for one more
// period so that a device seen on both sides of a rotation can be followed (HashedAddress::previous)
// for the length of one presence window; after that its two identities cannot be linked. Salts live
// only in this object's memory (wiped on rotation and destruction) and have no accessor: never
// logged, never stored. Not thread-safe: one owner (the loop thread).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "common/time.h"

namespace branchcast::ble {

using DeviceId = std::array<uint8_t, 16>;

struct HashedAddress {
  DeviceId current{};
  std::optional<DeviceId> previous;  // under the previous salt, while there is one
};

// Fills a buffer with unpredictable bytes (OpenSSL RAND_bytes by default; tests inject their own).
using RandomFill = std::function<void(uint8_t* data, size_t size)>;
void os_random_fill(uint8_t* data, size_t size);

class AddressHasher {
 public:
  explicit AddressHasher(Duration rotate_every, RandomFill random = os_random_fill);
  ~AddressHasher();
  AddressHasher(const AddressHasher&) = delete;
  AddressHasher& operator=(const AddressHasher&) = delete;

  // `address` is the raw address in any stable form (e.g. "AA:BB:.." or 6 bytes).
  HashedAddress hash(std::string_view address, TimePoint now);
  // How many salts have been drawn (for tests of rotation; reveals nothing about them).
  int salts_drawn() const { return drawn_; }

 private:
  // HMAC-SHA256 with the inner and outer SHA-256 states of a salt precomputed (RFC 2104): one
  // compression per half per address instead of three.
  struct Keyed {
    std::array<uint8_t, 32> salt{};
    std::array<uint8_t, 128> inner{};  // SHA256_CTX after the ipad block (opaque bytes)
    std::array<uint8_t, 128> outer{};  // SHA256_CTX after the opad block
  };
  void rotate_to(int64_t slot);
  static void prepare(Keyed& k);
  static DeviceId mac(const Keyed& k, std::string_view address);

  Duration rotate_every_;
  RandomFill random_;
  int64_t slot_ = INT64_MIN;
  Keyed current_{};
  Keyed previous_{};
  bool has_previous_ = false;
  int drawn_ = 0;
};

}  // namespace branchcast::ble
