// Test-side crypto, written independently of notify/crypto.cpp with OpenSSL directly: RFC 8291
// decryption (what a browser does with the subscription's private key), and ES256/RS256 verification.
#pragma once

#include <optional>
#include <string>

namespace branchcast::test {

// body: the aes128gcm message; ua_private: 32-byte scalar; auth: 16 bytes. nullopt on any failure.
std::optional<std::string> webpush_decrypt(const std::string& body, const std::string& ua_private,
                                           const std::string& auth);
// JOSE ES256 (r||s) over data with an uncompressed P-256 public key.
bool es256_verify(const std::string& public65, const std::string& data, const std::string& sig64);
// RS256 over data with a PEM public key.
bool rs256_verify(const std::string& public_pem, const std::string& data, const std::string& sig);
// A fresh P-256 private key as PKCS#8 PEM.
std::string generate_p256_pem();
// A fresh RSA-2048 key: {private PEM, public PEM}.
std::pair<std::string, std::string> generate_rsa_pem();

}  // namespace branchcast::test
