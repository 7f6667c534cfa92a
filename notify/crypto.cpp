#include "notify/crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <array>
#include <memory>

namespace branchcast {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view in, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  auto b = [&](size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(in[k])); };
  for (; i + 3 <= in.size(); i += 3) {
    unsigned v = b(i) << 16 | b(i + 1) << 8 | b(i + 2);
    for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 63];
  }
  if (size_t rest = in.size() - i; rest > 0) {
    unsigned v = b(i) << 16 | (rest == 2 ? b(i + 1) << 8 : 0);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2) out += alphabet[(v >> 6) & 63];
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using GroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using PointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;

const unsigned char* u8(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// An EVP_PKEY for P-256 from a private scalar and/or public point (either may be empty).
Result<PkeyPtr> p256_pkey(std::string_view private32, std::string_view public65) {
  std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>> bld(OSSL_PARAM_BLD_new());
  BnPtr priv;
  OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  if (!public65.empty())
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, public65.data(), public65.size());
  if (!private32.empty()) {
    priv.reset(BN_bin2bn(u8(private32), static_cast<int>(private32.size()), nullptr));
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get());
  }
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld.get());
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  int sel = private32.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR;
  bool ok = ctx && EVP_PKEY_fromdata_init(ctx.get()) > 0 && EVP_PKEY_fromdata(ctx.get(), &raw, sel, params) > 0;
  OSSL_PARAM_free(params);
  if (!ok) return make_error("invalid P-256 key");
  PkeyPtr key(raw);
  if (!public65.empty()) {  // fromdata does not check the point is on the curve
    PkeyCtxPtr check(EVP_PKEY_CTX_new(key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) <= 0) return make_error("invalid P-256 public key");
  }
  return key;
}

}  // namespace

std::string base64_encode(std::string_view bytes) { return encode(bytes, kStd, true); }
std::string base64url_encode(std::string_view bytes) { return encode(bytes, kUrl, false); }

Result<std::string> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else return make_error("invalid base64");
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (bits >= 6) return make_error("invalid base64 length");
  return out;
}

std::string sha256(std::string_view data) {
  std::string out(32, '\0');
  SHA256(u8(data), data.size(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::string out(32, '\0');
  unsigned int len = 32;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), u8(data), data.size(),
       reinterpret_cast<unsigned char*>(out.data()), &len);
  return out;
}

std::string hkdf_extract(std::string_view salt, std::string_view ikm) { return hmac_sha256(salt, ikm); }

std::string hkdf_expand(std::string_view prk, std::string_view info, size_t length) {
  std::string t = hmac_sha256(prk, std::string(info) + '\x01');  // one block suffices (<= 32 bytes)
  return t.substr(0, length);
}

Result<std::string> aes128gcm_seal(std::string_view key, std::string_view nonce, std::string_view plaintext) {
  if (key.size() != 16 || nonce.size() != 12) return make_error("AES-128-GCM: bad key or nonce size");
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string out(plaintext.size() + 16, '\0');
  int len = 0, fin = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, u8(key), u8(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o, &len, u8(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), o + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, o + plaintext.size()) != 1)
    return make_error("AES-128-GCM encryption failed");
  return out;
}

Result<P256Key> p256_from_private(std::string_view private32) {
  if (private32.size() != 32) return make_error("P-256 private key must be 32 bytes");
  GroupPtr group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  BnPtr d(BN_bin2bn(u8(private32), 32, nullptr));
  if (!group || !d || BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0)
    return make_error("invalid P-256 private key");
  PointPtr pub(EC_POINT_new(group.get()));
  if (!pub || EC_POINT_mul(group.get(), pub.get(), d.get(), nullptr, nullptr, nullptr) != 1)
    return make_error("invalid P-256 private key");
  std::string pub65(65, '\0');
  if (EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED,
                         reinterpret_cast<unsigned char*>(pub65.data()), 65, nullptr) != 65)
    return make_error("invalid P-256 private key");
  return P256Key{std::string(private32), pub65};
}

Result<P256Key> p256_from_pem(std::string_view pem) {
  std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return make_error("not a PEM private key");
  char group[32] = {0};
  size_t glen = 0;
  if (EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &glen) != 1 ||
      std::string_view(group) != "prime256v1")
    return make_error("not a P-256 (prime256v1) key");
  BIGNUM* d = nullptr;
  if (EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1) return make_error("no private scalar");
  BnPtr dp(d);
  std::string priv(32, '\0');
  BN_bn2binpad(d, reinterpret_cast<unsigned char*>(priv.data()), 32);
  auto out = p256_from_private(priv);
  OPENSSL_cleanse(priv.data(), priv.size());
  return out;
}

Result<std::string> p256_ecdh(std::string_view private32, std::string_view peer_public65) {
  if (peer_public65.size() != 65 || peer_public65[0] != 0x04) return make_error("peer key is not an uncompressed P-256 point");
  auto mine = p256_from_private(private32);
  if (!mine) return mine.error();
  auto self = p256_pkey(private32, mine->public_key);
  if (!self) return self.error();
  auto peer = p256_pkey({}, peer_public65);
  if (!peer) return peer.error();
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(self->get(), nullptr));
  size_t len = 32;
  std::string out(32, '\0');
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_derive_set_peer(ctx.get(), peer->get()) <= 0 ||
      EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len) <= 0 || len != 32)
    return make_error("ECDH failed");
  return out;
}

namespace {
Result<std::string> sign_digest(EVP_PKEY* key, std::string_view data) {
  MdCtxPtr md(EVP_MD_CTX_new());
  size_t len = 0;
  if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(md.get(), nullptr, &len, u8(data), data.size()) != 1)
    return make_error("signing failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, u8(data), data.size()) != 1)
    return make_error("signing failed");
  sig.resize(len);
  return sig;
}
}  // namespace

Result<std::string> es256_sign(std::string_view private32, std::string_view data) {
  auto kp = p256_from_private(private32);
  if (!kp) return kp.error();
  auto key = p256_pkey(private32, kp->public_key);
  if (!key) return key.error();
  auto der = sign_digest(key->get(), data);
  if (!der) return der.error();
  const auto* p = u8(*der);
  std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>> sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der->size())));
  if (!sig) return make_error("signing failed");
  std::string out(64, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), o, 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), o + 32, 32);
  return out;
}

Result<std::string> rs256_sign(std::string_view pem, std::string_view data) {
  std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return make_error("not a PEM RSA private key");
  return sign_digest(key.get(), data);
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace branchcast
