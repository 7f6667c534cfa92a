#include "tests/notify/support/webpush_decrypt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace branchcast::test {
namespace {

const unsigned char* u8(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string hkdf(const std::string& salt, const std::string& ikm, const std::string& info, size_t len) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
  std::string out(len, '\0');
  size_t outlen = len;
  EVP_PKEY_derive_init(ctx);
  EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256());
  EVP_PKEY_CTX_set1_hkdf_salt(ctx, u8(salt), static_cast<int>(salt.size()));
  EVP_PKEY_CTX_set1_hkdf_key(ctx, u8(ikm), static_cast<int>(ikm.size()));
  EVP_PKEY_CTX_add1_hkdf_info(ctx, u8(info), static_cast<int>(info.size()));
  EVP_PKEY_derive(ctx, reinterpret_cast<unsigned char*>(out.data()), &outlen);
  EVP_PKEY_CTX_free(ctx);
  return out;
}

EVP_PKEY* ec_key(const std::string& priv, const std::string& pub) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  BIGNUM* d = nullptr;
  std::string pub_point = pub;
  if (!priv.empty()) {
    d = BN_bin2bn(u8(priv), static_cast<int>(priv.size()), nullptr);
    if (pub_point.empty()) {  // derive the public point
      EC_GROUP* g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
      EC_POINT* p = EC_POINT_new(g);
      EC_POINT_mul(g, p, d, nullptr, nullptr, nullptr);
      pub_point.assign(65, '\0');
      EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, reinterpret_cast<unsigned char*>(pub_point.data()), 65, nullptr);
      EC_POINT_free(p);
      EC_GROUP_free(g);
    }
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d);
  }
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_point.data(), pub_point.size());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &key, priv.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(d);
  return key;
}

std::string public_of(EVP_PKEY* key) {
  std::string out(65, '\0');
  size_t len = 0;
  EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, reinterpret_cast<unsigned char*>(out.data()), 65, &len);
  out.resize(len);
  return out;
}

}  // namespace

std::optional<std::string> webpush_decrypt(const std::string& body, const std::string& ua_private,
                                           const std::string& auth) {
  if (body.size() < 21) return std::nullopt;
  std::string salt = body.substr(0, 16);
  uint32_t rs = (uint32_t(uint8_t(body[16])) << 24) | (uint32_t(uint8_t(body[17])) << 16) |
                (uint32_t(uint8_t(body[18])) << 8) | uint8_t(body[19]);
  size_t idlen = static_cast<uint8_t>(body[20]);
  if (body.size() < 21 + idlen + 16 || idlen != 65 || body.size() - 21 - idlen > rs) return std::nullopt;
  std::string as_public = body.substr(21, idlen);
  std::string record = body.substr(21 + idlen);

  EVP_PKEY* mine = ec_key(ua_private, "");
  EVP_PKEY* peer = ec_key("", as_public);
  if (!mine || !peer) return std::nullopt;
  std::string ua_public = public_of(mine);
  EVP_PKEY_CTX* dctx = EVP_PKEY_CTX_new(mine, nullptr);
  std::string ecdh(32, '\0');
  size_t len = 32;
  EVP_PKEY_derive_init(dctx);
  EVP_PKEY_derive_set_peer(dctx, peer);
  EVP_PKEY_derive(dctx, reinterpret_cast<unsigned char*>(ecdh.data()), &len);
  EVP_PKEY_CTX_free(dctx);
  EVP_PKEY_free(mine);
  EVP_PKEY_free(peer);

  std::string ikm = hkdf(auth, ecdh, std::string("WebPush: info") + '\0' + ua_public + as_public, 32);
  std::string cek = hkdf(salt, ikm, std::string("Content-Encoding: aes128gcm") + '\0', 16);
  std::string nonce = hkdf(salt, ikm, std::string("Content-Encoding: nonce") + '\0', 12);

  std::string ct = record.substr(0, record.size() - 16), tag = record.substr(record.size() - 16);
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  std::string plain(ct.size(), '\0');
  int outl = 0, fin = 0;
  EVP_DecryptInit_ex(c, EVP_aes_128_gcm(), nullptr, u8(cek), u8(nonce));
  EVP_DecryptUpdate(c, reinterpret_cast<unsigned char*>(plain.data()), &outl, u8(ct), static_cast<int>(ct.size()));
  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag.data());
  int ok = EVP_DecryptFinal_ex(c, reinterpret_cast<unsigned char*>(plain.data()) + outl, &fin);
  EVP_CIPHER_CTX_free(c);
  if (ok != 1) return std::nullopt;
  // Strip padding: trailing zeros, then the delimiter (0x02 for the last record).
  while (!plain.empty() && plain.back() == '\0') plain.pop_back();
  if (plain.empty() || plain.back() != '\x02') return std::nullopt;
  plain.pop_back();
  return plain;
}

bool es256_verify(const std::string& public65, const std::string& data, const std::string& sig64) {
  if (sig64.size() != 64) return false;
  EVP_PKEY* key = ec_key("", public65);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(u8(sig64), 32, nullptr), BN_bin2bn(u8(sig64) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig, &der);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key);
  int ok = EVP_DigestVerify(md, der, static_cast<size_t>(der_len), u8(data), data.size());
  EVP_MD_CTX_free(md);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  EVP_PKEY_free(key);
  return ok == 1;
}

bool rs256_verify(const std::string& public_pem, const std::string& data, const std::string& sig) {
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key) return false;
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key);
  int ok = EVP_DigestVerify(md, u8(sig), sig.size(), u8(data), data.size());
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  return ok == 1;
}

namespace {
std::string private_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}
}  // namespace

std::string generate_p256_pem() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  std::string out = private_pem(key);
  EVP_PKEY_free(key);
  return out;
}

std::pair<std::string, std::string> generate_rsa_pem() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  auto pem = [&](bool priv) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (priv)
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    else
      PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
  };
  auto out = std::make_pair(pem(true), pem(false));
  EVP_PKEY_free(key);
  return out;
}

}  // namespace branchcast::test
