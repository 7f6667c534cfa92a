// ntfy, Gotify, webhook and Web Push against a real HTTP server on 127.0.0.1, through libcurl.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "notify/crypto.h"
#include "notify/sender.h"
#include "tests/notify/fakes/test_secrets.h"
#include "tests/notify/support/loopback_http_server.h"
#include "tests/notify/support/webpush_decrypt.h"

namespace branchcast {
namespace {

using test::LoopbackHttpServer;
using test::Reply;

const TimePoint kNow = TimePoint(std::chrono::seconds(1772442000));  // 2026-03-02T09:00:00Z

// Deterministic "random" bytes for the Sender (Web Push ephemeral key and salt).
RandomBytes counter_random() {
  auto n = std::make_shared<int>(0);
  return [n](size_t len) { return sha256("draw" + std::to_string((*n)++)).substr(0, len); };
}

struct Fixture {
  LoopbackHttpServer server;
  std::unique_ptr<HttpClient> http = make_curl_http_client();
  SenderOptions options;
  std::map<std::string, std::string> env{{"NTFY_TOKEN", "tk_ntfy_secret_123"},
                                         {"GOTIFY_TOKEN", "AgotifyTok9"},
                                         {"HOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}};
  Sender sender() { return Sender(*http, nullptr, test::secrets_of(env), options, counter_random()); }
};

Notification sample() {
  Notification n;
  n.title = "Author talk";
  n.message = "Ann Cleeves talks here tomorrow at 7pm";
  n.click = "https://library.example.org/events/42";
  n.tags = {"books", "loudspeaker"};
  n.priority = 4;
  n.idempotency_key = "3f2a9c";
  return n;
}

TEST(NtfyProvider, PublishesWithExactHeadersAndBody) {
  Fixture f;
  auto s = f.sender();
  auto r = s.send({"ntfy://" + f.server.authority() + "/central-entrance?token=${NTFY_TOKEN}", {}}, sample(), kNow);
  EXPECT_EQ(r.outcome, SendOutcome::kDelivered) << r.detail;
  auto reqs = f.server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/central-entrance");
  EXPECT_EQ(reqs[0].body, "Ann Cleeves talks here tomorrow at 7pm");
  EXPECT_EQ(reqs[0].header("title"), "Author talk");
  EXPECT_EQ(reqs[0].header("priority"), "4");
  EXPECT_EQ(reqs[0].header("tags"), "books,loudspeaker");
  EXPECT_EQ(reqs[0].header("click"), "https://library.example.org/events/42");
  EXPECT_EQ(reqs[0].header("authorization"), "Bearer tk_ntfy_secret_123");
  EXPECT_EQ(reqs[0].header("idempotency-key"), "3f2a9c");
}

TEST(NtfyProvider, NonAsciiTitleIsRfc2047AndBasicAuthFromUserInfo) {
  Fixture f;
  f.env["NTFY_PASS"] = "pa55word!";
  auto s = f.sender();
  Notification n = sample();
  n.title = "Café de lectura";
  auto r = s.send({"ntfy://staff:${NTFY_PASS}@" + f.server.authority() + "/t", {}}, n, kNow);
  EXPECT_EQ(r.outcome, SendOutcome::kDelivered);
  auto req = f.server.requests().at(0);
  EXPECT_EQ(req.header("title"), "=?UTF-8?B?" + base64_encode("Café de lectura") + "?=");
  EXPECT_EQ(req.header("authorization"), "Basic " + base64_encode("staff:pa55word!"));
}

TEST(GotifyProvider, PostsTheMessageApiWithTheAppToken) {
  Fixture f;
  auto s = f.sender();
  auto r = s.send({"gotify://" + f.server.authority() + "/gotify/${GOTIFY_TOKEN}", {}}, sample(), kNow);
  EXPECT_EQ(r.outcome, SendOutcome::kDelivered) << r.detail;
  auto req = f.server.requests().at(0);
  EXPECT_EQ(req.target, "/gotify/message");
  EXPECT_EQ(req.header("x-gotify-key"), "AgotifyTok9");
  EXPECT_EQ(req.header("content-type"), "application/json");
  auto body = nlohmann::json::parse(req.body);
  EXPECT_EQ(body["title"], "Author talk");
  EXPECT_EQ(body["message"], "Ann Cleeves talks here tomorrow at 7pm");
  EXPECT_EQ(body["priority"], 8);
  EXPECT_EQ(body["extras"]["client::notification"]["click"]["url"], "https://library.example.org/events/42");
}

TEST(WebhookProvider, SignsLikeStandardWebhooks) {
  Fixture f;
  auto s = f.sender();
  auto r = s.send({"webhook+http://" + f.server.authority() + "/hooks/in?secret=${HOOK_SECRET}&src=central", {}},
                  sample(), kNow);
  EXPECT_EQ(r.outcome, SendOutcome::kDelivered) << r.detail;
  auto req = f.server.requests().at(0);
  EXPECT_EQ(req.target, "/hooks/in?src=central");
  EXPECT_EQ(req.header("webhook-id"), "3f2a9c");
  EXPECT_EQ(req.header("webhook-timestamp"), "1772442000");
  // Verify independently: key = base64 after whsec_, HMAC-SHA256 of id.timestamp.body.
  std::string key = base64_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").value();
  std::string expected = "v1," + base64_encode(hmac_sha256(key, "3f2a9c.1772442000." + req.body));
  EXPECT_EQ(req.header("webhook-signature"), expected);
  auto body = nlohmann::json::parse(req.body);
  EXPECT_EQ(body["type"], "prompt.nearby");
  EXPECT_EQ(body["timestamp"], "2026-03-02T09:00:00+00:00");
  EXPECT_EQ(body["data"]["title"], "Author talk");
  EXPECT_EQ(body["data"]["tags"][1], "loudspeaker");
}

TEST(WebPushProvider, EncryptsForTheSubscriptionAndSignsVapid) {
  Fixture f;
  f.server.set_handler([](const test::RecordedRequest&) { return Reply{201, {}, ""}; });
  // The browser's side: a key pair and an auth secret.
  std::string ua_private = sha256("browser private key");
  auto ua = p256_from_private(ua_private).value();
  std::string auth = sha256("auth").substr(0, 16);
  nlohmann::json sub = {{"endpoint", f.server.url() + "/push/v2/abcdef"},
                        {"keys", {{"p256dh", base64url_encode(ua.public_key)}, {"auth", base64url_encode(auth)}}}};
  f.options.vapid_private_key = test::generate_p256_pem();
  f.options.vapid_subject = "mailto:it@library.example.org";
  auto s = f.sender();
  auto r = s.send({"webpush", sub.dump()}, sample(), kNow);
  ASSERT_EQ(r.outcome, SendOutcome::kDelivered) << r.detail;
  auto req = f.server.requests().at(0);
  EXPECT_EQ(req.target, "/push/v2/abcdef");
  EXPECT_EQ(req.header("content-encoding"), "aes128gcm");
  EXPECT_EQ(req.header("ttl"), "600");
  EXPECT_EQ(req.header("urgency"), "high");
  auto plain = test::webpush_decrypt(req.body, ua_private, auth);
  ASSERT_TRUE(plain.has_value());
  auto payload = nlohmann::json::parse(*plain);
  EXPECT_EQ(payload["title"], "Author talk");
  EXPECT_EQ(payload["body"], "Ann Cleeves talks here tomorrow at 7pm");
  // Authorization: vapid t=<jwt>, k=<public key>; the JWT verifies with k and names our origin.
  std::string authz = req.header("authorization");
  ASSERT_EQ(authz.rfind("vapid t=", 0), 0u);
  auto comma = authz.find(", k=");
  std::string jwt = authz.substr(8, comma - 8);
  std::string k = base64_decode(authz.substr(comma + 4)).value();
  auto dot = jwt.rfind('.');
  EXPECT_TRUE(test::es256_verify(k, jwt.substr(0, dot), base64_decode(jwt.substr(dot + 1)).value()));
  auto claims = nlohmann::json::parse(base64_decode(jwt.substr(jwt.find('.') + 1, dot - jwt.find('.') - 1)).value());
  EXPECT_EQ(claims["aud"], f.server.url());
  EXPECT_EQ(claims["sub"], "mailto:it@library.example.org");
  EXPECT_EQ(claims["exp"], 1772442000 + 12 * 3600);
}

TEST(ProviderAnswers, TooManyRequestsCarriesRetryAfterSecondsAndDates) {
  Fixture f;
  f.server.set_handler([](const test::RecordedRequest&) { return Reply{429, {{"Retry-After", "37"}}, "slow down"}; });
  auto s = f.sender();
  auto r = s.send({"ntfy://" + f.server.authority() + "/t", {}}, sample(), kNow);
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.retry_after, Duration(37'000));
  f.server.set_handler([](const test::RecordedRequest&) {
    return Reply{503, {{"Retry-After", "Mon, 02 Mar 2026 09:02:00 GMT"}}, ""};
  });
  r = s.send({"ntfy://" + f.server.authority() + "/t", {}}, sample(), kNow);
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.retry_after, Duration(120'000));
}

TEST(ProviderAnswers, ServerErrorRetriesGonePrunesBadRequestStops) {
  Fixture f;
  auto s = f.sender();
  std::string url = "gotify://" + f.server.authority() + "/${GOTIFY_TOKEN}";
  f.server.set_handler([](const test::RecordedRequest&) { return Reply{500, {}, "oops"}; });
  EXPECT_EQ(s.send({url, {}}, sample(), kNow).outcome, SendOutcome::kRetry);
  f.server.set_handler([](const test::RecordedRequest&) { return Reply{410, {}, ""}; });
  EXPECT_EQ(s.send({url, {}}, sample(), kNow).outcome, SendOutcome::kGone);
  f.server.set_handler([](const test::RecordedRequest&) { return Reply{400, {}, "bad"}; });
  EXPECT_EQ(s.send({url, {}}, sample(), kNow).outcome, SendOutcome::kPermanent);
  f.server.set_handler([](const test::RecordedRequest&) { return Reply{401, {}, ""}; });
  EXPECT_EQ(s.send({url, {}}, sample(), kNow).outcome, SendOutcome::kPermanent);
}

TEST(ProviderAnswers, SlowResponsesAndResetsAreTransient) {
  Fixture f;
  f.options.request_timeout = Duration(300);
  auto s = f.sender();
  f.server.set_handler([](const test::RecordedRequest&) {
    Reply r;
    r.delay = std::chrono::milliseconds(1500);
    return r;
  });
  auto slow = s.send({"ntfy://" + f.server.authority() + "/t", {}}, sample(), kNow);
  EXPECT_EQ(slow.outcome, SendOutcome::kRetry);
  EXPECT_EQ(slow.status, 0);
  f.server.set_handler([](const test::RecordedRequest&) {
    Reply r;
    r.reset = true;
    return r;
  });
  auto reset = s.send({"ntfy://" + f.server.authority() + "/t", {}}, sample(), kNow);
  EXPECT_EQ(reset.outcome, SendOutcome::kRetry);
  EXPECT_EQ(reset.status, 0);
}

TEST(Redaction, SecretsAndAddressesNeverAppearInDetails) {
  Fixture f;
  // A hostile or careless server that echoes everything back, in an error.
  f.server.set_handler([](const test::RecordedRequest& req) {
    std::string echo = req.target + " " + req.header("authorization") + " " + req.header("x-gotify-key");
    return Reply{400, {}, echo};
  });
  auto s = f.sender();
  for (std::string url : {"ntfy://" + f.server.authority() + "/p-4821-3f9a?token=${NTFY_TOKEN}",
                          "gotify://" + f.server.authority() + "/${GOTIFY_TOKEN}",
                          "webhook+http://" + f.server.authority() + "/x?secret=${HOOK_SECRET}"}) {
    auto r = s.send({url, {}}, sample(), kNow);
    EXPECT_EQ(r.outcome, SendOutcome::kPermanent);
    for (const char* secret : {"tk_ntfy_secret_123", "AgotifyTok9", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "p-4821-3f9a"})
      EXPECT_EQ(r.detail.find(secret), std::string::npos) << r.detail;
  }
  // Configuration errors never carry the value either.
  f.env.erase("NTFY_TOKEN");
  auto s2 = f.sender();
  auto r = s2.send({"ntfy://" + f.server.authority() + "/t?token=${NTFY_TOKEN}", {}}, sample(), kNow);
  EXPECT_EQ(r.outcome, SendOutcome::kPermanent);
  EXPECT_NE(r.detail.find("NTFY_TOKEN is not set"), std::string::npos);
}

}  // namespace
}  // namespace branchcast
