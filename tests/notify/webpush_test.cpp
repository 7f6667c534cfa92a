// RFC 8291 Appendix A, exactly; VAPID JWT verified with OpenSSL; subscription parsing.
#include "notify/webpush.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include "notify/crypto.h"
#include "tests/notify/support/webpush_decrypt.h"

namespace branchcast {
namespace {

// RFC 8291 section 5 / Appendix A.
constexpr char kPlaintext[] = "When I grow up, I want to be a watermelon";
constexpr char kUaPublic[] = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr char kUaPrivate[] = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
constexpr char kAuth[] = "BTBZMqHH6r4Tts7J_aSIgg";
constexpr char kAsPrivate[] = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
constexpr char kAsPublic[] = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
constexpr char kSalt[] = "DGv6ra1nlYgDCS1FRnbzlw";
constexpr char kSharedSecret[] = "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs";
constexpr char kBody[] =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_y"
    "l95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

std::string b64(const char* s) { return base64_decode(s).value(); }

TEST(WebPush, Rfc8291AppendixAKeysAndSharedSecret) {
  auto as = p256_from_private(b64(kAsPrivate));
  ASSERT_TRUE(as.ok());
  EXPECT_EQ(base64url_encode(as->public_key), kAsPublic);
  auto secret = p256_ecdh(b64(kAsPrivate), b64(kUaPublic));
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(base64url_encode(*secret), kSharedSecret);
}

TEST(WebPush, Rfc8291AppendixAEncryptsToTheExactBody) {
  auto body = webpush_encrypt(kPlaintext, b64(kUaPublic), b64(kAuth), b64(kAsPrivate), b64(kSalt), 4096);
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(base64url_encode(*body), kBody);
  EXPECT_EQ(body->size(), 86u + 41u + 1u + 16u);
}

TEST(WebPush, TestDecryptionRecoversTheRfcPlaintext) {
  auto plain = test::webpush_decrypt(b64(kBody), b64(kUaPrivate), b64(kAuth));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, kPlaintext);
}

TEST(WebPush, VapidJwtVerifiesWithThePublicKey) {
  auto vapid = p256_from_private(b64(kAsPrivate)).value();
  TimePoint exp = TimePoint(std::chrono::seconds(1767225600));
  auto jwt = vapid_jwt(vapid, "https://push.example.net", "mailto:it@library.example.org", exp);
  ASSERT_TRUE(jwt.ok());
  auto dot1 = jwt->find('.'), dot2 = jwt->rfind('.');
  EXPECT_EQ(b64(jwt->substr(0, dot1).c_str()), R"({"typ":"JWT","alg":"ES256"})");
  EXPECT_EQ(b64(jwt->substr(dot1 + 1, dot2 - dot1 - 1).c_str()),
            R"({"aud":"https://push.example.net","exp":1767225600,"sub":"mailto:it@library.example.org"})");
  EXPECT_TRUE(test::es256_verify(vapid.public_key, jwt->substr(0, dot2), b64(jwt->substr(dot2 + 1).c_str())));
  EXPECT_FALSE(test::es256_verify(vapid.public_key, jwt->substr(0, dot2) + "x", b64(jwt->substr(dot2 + 1).c_str())));
}

TEST(WebPush, SubscriptionParsingNamesTheSourceAndNeverQuotesKeys) {
  std::string good = std::string(R"({"endpoint":"https://push.example.net/p/abc","keys":{"p256dh":")") + kUaPublic +
                     R"(","auth":")" + kAuth + R"("},"expirationTime":null})";
  auto sub = parse_push_subscription(good, "sub.json");
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  EXPECT_EQ(sub->endpoint, "https://push.example.net/p/abc");
  EXPECT_EQ(sub->auth.size(), 16u);
  auto bad = parse_push_subscription(R"({"endpoint":"https://x/y","keys":{"p256dh":"AAAA","auth":")" +
                                         std::string(kAuth) + "\"}}",
                                     "sub.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message.rfind("sub.json: ", 0), 0u);
  EXPECT_EQ(bad.error().message.find(kAuth), std::string::npos);
  EXPECT_FALSE(parse_push_subscription("[1,2", "s").ok());
  EXPECT_FALSE(parse_push_subscription(std::string(9000, ' '), "s").ok());
}

TEST(WebPush, RequestCarriesHeadersAndDecryptsWithTheSubscriptionKey) {
  PushSubscription sub{"https://push.example.net/p/abc", b64(kUaPublic), b64(kAuth)};
  auto vapid = p256_from_private(std::string(31, '\0') + '\x07').value();
  Notification n;
  n.title = "Author talk";
  n.message = "Ann Cleeves talks here tomorrow at 7pm";
  n.priority = 4;
  n.idempotency_key = "k1";
  n.ttl = std::chrono::minutes(10);
  auto req = build_webpush_request(sub, n, vapid, "mailto:it@library.example.org", TimePoint(std::chrono::seconds(1000)),
                                   b64(kAsPrivate), b64(kSalt));
  ASSERT_TRUE(req.ok()) << req.error().message;
  std::map<std::string, std::string> h(req->headers.begin(), req->headers.end());
  EXPECT_EQ(h["Content-Encoding"], "aes128gcm");
  EXPECT_EQ(h["TTL"], "600");
  EXPECT_EQ(h["Urgency"], "high");
  EXPECT_EQ(h["Topic"].size(), 32u);
  EXPECT_NE(h["Authorization"].find(", k=" + base64url_encode(vapid.public_key)), std::string::npos);
  auto plain = test::webpush_decrypt(req->body, b64(kUaPrivate), b64(kAuth));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, R"({"body":"Ann Cleeves talks here tomorrow at 7pm","tags":[],"title":"Author talk","url":""})");
}

TEST(WebPush, LongMessagesAreShortenedToFitOneRecord) {
  Notification n;
  n.message = std::string(5000, 'x') + "\xc3\xa9";
  EXPECT_LE(webpush_payload(n).size(), kWebPushMaxPlaintext);
}

}  // namespace
}  // namespace branchcast
