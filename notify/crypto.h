// Cryptographic primitives the providers need, over OpenSSL libcrypto. Pure functions: no I/O, no
// clock, no global state; randomness is always passed in by the caller. Byte strings are carried
// in std::string (binary-safe). Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace branchcast {

std::string base64_encode(std::string_view bytes);     // standard alphabet, padded
std::string base64url_encode(std::string_view bytes);  // URL alphabet, no padding
// Accepts both alphabets, padding optional, no whitespace. Fails on any other character.
Result<std::string> base64_decode(std::string_view text);

std::string sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);
// RFC 5869.
std::string hkdf_extract(std::string_view salt, std::string_view ikm);
std::string hkdf_expand(std::string_view prk, std::string_view info, size_t length);  // length <= 32

// AES-128-GCM, empty AAD: returns ciphertext || 16-byte tag. key 16 bytes, nonce 12 bytes.
Result<std::string> aes128gcm_seal(std::string_view key, std::string_view nonce, std::string_view plaintext);

// A P-256 key pair: private scalar (32 bytes, big-endian) and uncompressed public point (65 bytes).
struct P256Key {
  std::string private_key;
  std::string public_key;
};
// Derives the public point. Fails when the scalar is zero or not below the group order.
Result<P256Key> p256_from_private(std::string_view private32);
// Reads a PEM "EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY" on P-256. Errors never quote the PEM.
Result<P256Key> p256_from_pem(std::string_view pem);
// ECDH shared secret (the x coordinate, 32 bytes). Fails on a point not on the curve.
Result<std::string> p256_ecdh(std::string_view private32, std::string_view peer_public65);
// ECDSA P-256 over SHA-256 with the JOSE encoding (r || s, 64 bytes).
Result<std::string> es256_sign(std::string_view private32, std::string_view data);
// RSASSA-PKCS1-v1_5 SHA-256 with a PEM RSA private key (PKCS#1 or PKCS#8).
Result<std::string> rs256_sign(std::string_view pem, std::string_view data);

// Constant-time comparison.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace branchcast
