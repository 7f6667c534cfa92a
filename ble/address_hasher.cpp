#include "ble/address_hasher.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <cstring>

namespace branchcast::ble {

void os_random_fill(uint8_t* data, size_t size) {
  // Without entropy there is no safe salt: refuse to continue rather than hash predictably.
  if (RAND_bytes(data, static_cast<int>(size)) != 1) std::abort();
}

AddressHasher::AddressHasher(Duration rotate_every, RandomFill random)
    : rotate_every_(rotate_every.count() > 0 ? rotate_every : Duration(1)), random_(std::move(random)) {}

// The low-level SHA-256 API is deprecated in OpenSSL 3 but is the only one whose context can be
// copied without allocation; its use is confined to the two functions below.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static_assert(sizeof(SHA256_CTX) <= 128, "SHA256_CTX must fit the precomputed state buffers");

void AddressHasher::prepare(Keyed& k) {
  std::array<uint8_t, 64> pad{};
  SHA256_CTX ctx;
  for (int which = 0; which < 2; ++which) {
    const uint8_t x = which == 0 ? 0x36 : 0x5c;
    for (size_t i = 0; i < pad.size(); ++i) pad[i] = static_cast<uint8_t>((i < k.salt.size() ? k.salt[i] : 0) ^ x);
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, pad.data(), pad.size());
    std::memcpy(which == 0 ? k.inner.data() : k.outer.data(), &ctx, sizeof ctx);
  }
  OPENSSL_cleanse(pad.data(), pad.size());
  OPENSSL_cleanse(&ctx, sizeof ctx);
}

DeviceId AddressHasher::mac(const Keyed& k, std::string_view address) {
  SHA256_CTX ctx;
  uint8_t inner[SHA256_DIGEST_LENGTH];
  uint8_t out[SHA256_DIGEST_LENGTH];
  std::memcpy(&ctx, k.inner.data(), sizeof ctx);
  SHA256_Update(&ctx, address.data(), address.size());
  SHA256_Final(inner, &ctx);
  std::memcpy(&ctx, k.outer.data(), sizeof ctx);
  SHA256_Update(&ctx, inner, sizeof inner);
  SHA256_Final(out, &ctx);
  DeviceId id{};
  std::memcpy(id.data(), out, id.size());
  OPENSSL_cleanse(&ctx, sizeof ctx);
  return id;
}
#pragma GCC diagnostic pop

AddressHasher::~AddressHasher() {
  OPENSSL_cleanse(&current_, sizeof current_);
  OPENSSL_cleanse(&previous_, sizeof previous_);
}

void AddressHasher::rotate_to(int64_t slot) {
  if (slot_ != INT64_MIN && slot == slot_ + 1) {
    previous_ = current_;
    has_previous_ = true;
  } else {
    OPENSSL_cleanse(&previous_, sizeof previous_);
    has_previous_ = false;
  }
  random_(current_.salt.data(), current_.salt.size());
  prepare(current_);
  ++drawn_;
  slot_ = slot;
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
