#include "ble/eid.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace branchcast::ble {
namespace {

std::array<uint8_t, 16> aes128_block(const uint8_t* key, const std::array<uint8_t, 16>& in) {
  std::array<uint8_t, 16> out{};
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  // AES-128-ECB on one block cannot fail with valid sizes; a failure leaves zeros (never matches).
  if (ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ecb(), nullptr, key, nullptr) == 1 &&
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1) {
    (void)EVP_EncryptUpdate(ctx.get(), out.data(), &len, in.data(), static_cast<int>(in.size()));
  }
  return out;
}

uint64_t key_of(const Eid& e) {
  uint64_t k = 0;
  std::memcpy(&k, e.data(), sizeof k);
  return k;
}

int clamp_k(int k) { return std::clamp(k, 0, kMaxRotationExponent); }

}  // namespace

std::array<uint8_t, 16> eid_temporary_key(const IdentityKey& key, uint32_t counter) {
  std::array<uint8_t, 16> block{};
  block[11] = 0xFF;
  block[14] = static_cast<uint8_t>(counter >> 24);
  block[15] = static_cast<uint8_t>(counter >> 16);
  return aes128_block(key.data(), block);
}

Eid compute_eid(const IdentityKey& key, uint32_t counter, int rotation_exponent) {
  const int k = clamp_k(rotation_exponent);
  const auto temp = eid_temporary_key(key, counter);
  const uint32_t quantized = counter & ~((uint32_t{1} << k) - 1);
  std::array<uint8_t, 16> block{};
  block[11] = static_cast<uint8_t>(k);
  block[12] = static_cast<uint8_t>(quantized >> 24);
  block[13] = static_cast<uint8_t>(quantized >> 16);
  block[14] = static_cast<uint8_t>(quantized >> 8);
  block[15] = static_cast<uint8_t>(quantized);
  const auto enc = aes128_block(temp.data(), block);
  Eid eid{};
  std::copy(enc.begin(), enc.begin() + 8, eid.begin());
  return eid;
}

std::optional<uint32_t> eid_counter(int64_t epoch, TimePoint now) {
  const int64_t secs = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  const int64_t c = secs - epoch;
  if (c < 0 || c > int64_t{0xFFFFFFFF}) return std::nullopt;
  return static_cast<uint32_t>(c);
}

EidResolver::EidResolver(std::vector<EidEnrollment> patrons) {
  patrons_.reserve(patrons.size());
  for (auto& p : patrons) {
    p.rotation = clamp_k(p.rotation);
    patrons_.push_back(Slot{p, -1, {}, 0});
  }
  by_eid_.reserve(patrons_.size() * 3);
}

void EidResolver::recompute(size_t index, TimePoint now) {
  Slot& s = patrons_[index];
  for (int i = 0; i < s.held; ++i) {
    auto it = by_eid_.find(s.ids[static_cast<size_t>(i)]);
    if (it != by_eid_.end() && it->second == index) by_eid_.erase(it);
  }
  s.held = 0;
  const auto counter = eid_counter(s.e.epoch, now);
  if (!counter) {
    s.quantum = -1;
    return;
  }
  const int k = s.e.rotation;
  const int64_t q = int64_t{*counter} >> k;
  s.quantum = q;
  for (int64_t d = -1; d <= 1; ++d) {
    const int64_t qq = q + d;
    if (qq < 0 || (qq << k) > int64_t{0xFFFFFFFF}) continue;
    const uint64_t id = key_of(compute_eid(s.e.key, static_cast<uint32_t>(qq << k), k));
    s.ids[static_cast<size_t>(s.held++)] = id;
    by_eid_[id] = index;
  }
}

void EidResolver::refresh(TimePoint now) {
  // Fast path: no period rolled since the last refresh (and the clock did not go backwards).
  if (now >= last_refresh_ && now < next_change_) return;
  TimePoint next = TimePoint::max();
  const auto now_s = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  for (size_t i = 0; i < patrons_.size(); ++i) {
    Slot& s = patrons_[i];
    const auto c = eid_counter(s.e.epoch, now);
    const int64_t q = c ? int64_t{*c} >> s.e.rotation : -1;
    if (q != s.quantum || (q >= 0 && s.held == 0)) recompute(i, now);
    // Next boundary: the start of the patron's next period (or its epoch, before it).
    int64_t boundary = s.quantum < 0 ? s.e.epoch : s.e.epoch + ((s.quantum + 1) << s.e.rotation);
    if (boundary <= now_s) boundary = now_s + 1;
    next = std::min(next, TimePoint(std::chrono::seconds(boundary)));
  }
  next_change_ = next;
  last_refresh_ = now;
}

std::optional<size_t> EidResolver::resolve(const Eid& eid, TimePoint now) {
  refresh(now);
  auto it = by_eid_.find(key_of(eid));
  if (it == by_eid_.end()) return std::nullopt;
  return it->second;
}

}  // namespace branchcast::ble
