#include "ble/address_hasher.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <cstring>

namespace branchcast::ble {

void os_random_fill(uint8_t* data, size_t size) {
  // Without entropy there is no safe salt: refuse to continue rather than hash predictably.
  if (RAND_bytes(data, static_cast<int>(size)) != 1) std::abort();
}

AddressHasher::AddressHasher(Duration rotate_every, RandomFill random)
    : rotate_every_(rotate_every.count() > 0 ? rotate_every : Duration(1)), random_(std::move(random)) {}

AddressHasher::~AddressHasher() {
  OPENSSL_cleanse(current_.data(), current_.size());
  OPENSSL_cleanse(previous_.data(), previous_.size());
}

void AddressHasher::rotate_to(int64_t slot) {
  if (slot_ != INT64_MIN && slot == slot_ + 1) {
    previous_ = current_;
    has_previous_ = true;
  } else {
    OPENSSL_cleanse(previous_.data(), previous_.size());
    has_previous_ = false;
  }
  random_(current_.data(), current_.size());
  ++drawn_;
  slot_ = slot;
}

DeviceId AddressHasher::mac(const std::array<uint8_t, 32>& salt, std::string_view address) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), salt.data(), static_cast<int>(salt.size()),
       reinterpret_cast<const unsigned char*>(address.data()), address.size(), out, &len);
  DeviceId id{};
  std::memcpy(id.data(), out, id.size());
  OPENSSL_cleanse(out, sizeof out);
  return id;
}

HashedAddress AddressHasher::hash(std::string_view address, TimePoint now) {
  const int64_t ms = now.time_since_epoch().count();
  const int64_t period = rotate_every_.count();
  const int64_t slot = ms >= 0 ? ms / period : -((-ms + period - 1) / period);
  if (slot != slot_) rotate_to(slot);
  HashedAddress h;
  h.current = mac(current_, address);
  if (has_previous_) h.previous = mac(previous_, address);
  return h;
}

}  // namespace branchcast::ble
