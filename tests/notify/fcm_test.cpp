// FCM HTTP v1: service account -> RS256 JWT -> OAuth token (cached) -> send, all on loopback.
#include "notify/fcm.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "notify/crypto.h"
#include "notify/provider_url.h"
#include "notify/sender.h"
#include "tests/notify/fakes/test_secrets.h"
#include "tests/notify/support/loopback_http_server.h"
#include "tests/notify/support/webpush_decrypt.h"

namespace branchcast {
namespace {

using test::Reply;

const TimePoint kNow = TimePoint(std::chrono::seconds(1772442000));

struct FcmFixture {
  test::LoopbackHttpServer server;
  std::unique_ptr<HttpClient> http = make_curl_http_client();
  std::pair<std::string, std::string> rsa = test::generate_rsa_pem();
  std::string key_path;
  int token_requests = 0;
  int tokens_issued = 0;
  std::vector<std::string> send_auth;
  std::function<int()> send_status = [] { return 200; };

  FcmFixture() {
    auto dir = std::filesystem::temp_directory_path() / ("bc-fcm-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    key_path = (dir / "sa.json").string();
    nlohmann::json sa = {{"type", "service_account"}, {"project_id", "branchcast-test"},
                         {"client_email", "sender@branchcast-test.iam.gserviceaccount.com"},
                         {"private_key", rsa.first}, {"token_uri", server.url() + "/token"}};
    std::ofstream(key_path) << sa.dump();
    server.set_handler([this](const test::RecordedRequest& req) {
      if (req.target == "/token") {
        ++token_requests;
        return Reply{200, {{"Content-Type", "application/json"}},
                     R"({"access_token":"ya29.tok)" + std::to_string(++tokens_issued) +
                         R"(","expires_in":3599,"token_type":"Bearer"})"};
      }
      send_auth.push_back(req.header("authorization"));
      int status = send_status();
      return Reply{status, {}, status == 200 ? R"({"name":"projects/p/messages/1"})" : R"({"error":{}})"};
    });
  }
  std::string url() const {
    return "fcm://branchcast-test/DEVICE-TOKEN-abc123?key=" + key_path + "&base=" + server.url();
  }
  Sender sender() { return Sender(*http, nullptr, test::secrets_of({}), {}, system_random_bytes()); }
};

Notification sample() {
  Notification n;
  n.title = "New arrival";
  n.message = "The new Ann Cleeves is on the shelf";
  n.idempotency_key = "k-1";
  return n;
}

TEST(Fcm, ExchangesAJwtForATokenAndSends) {
  FcmFixture f;
  auto s = f.sender();
  auto r = s.send({f.url(), {}}, sample(), kNow);
  ASSERT_EQ(r.outcome, SendOutcome::kDelivered) << r.detail;
  auto reqs = f.server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  // Token request: form-encoded JWT bearer grant with an RS256 assertion we verify.
  EXPECT_EQ(reqs[0].header("content-type"), "application/x-www-form-urlencoded");
  const std::string prefix = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=";
  ASSERT_EQ(reqs[0].body.rfind(prefix, 0), 0u);
  std::string jwt = reqs[0].body.substr(prefix.size());
  auto d1 = jwt.find('.'), d2 = jwt.rfind('.');
  auto claims = nlohmann::json::parse(base64_decode(jwt.substr(d1 + 1, d2 - d1 - 1)).value());
  EXPECT_EQ(claims["iss"], "sender@branchcast-test.iam.gserviceaccount.com");
  EXPECT_EQ(claims["scope"], kFcmScope);
  EXPECT_EQ(claims["aud"], f.server.url() + "/token");
  EXPECT_EQ(claims["iat"], 1772442000);
  EXPECT_EQ(claims["exp"], 1772442000 + 3600);
  EXPECT_TRUE(test::rs256_verify(f.rsa.second, jwt.substr(0, d2), base64_decode(jwt.substr(d2 + 1)).value()));
  // Send request.
  EXPECT_EQ(reqs[1].target, "/v1/projects/branchcast-test/messages:send");
  EXPECT_EQ(reqs[1].header("authorization"), "Bearer ya29.tok1");
  auto body = nlohmann::json::parse(reqs[1].body);
  EXPECT_EQ(body["message"]["token"], "DEVICE-TOKEN-abc123");
  EXPECT_EQ(body["message"]["notification"]["title"], "New arrival");
  EXPECT_EQ(body["message"]["data"]["idempotency_key"], "k-1");
}

TEST(Fcm, TokenIsCachedUntilShortlyBeforeExpiry) {
  FcmFixture f;
  auto s = f.sender();
  EXPECT_EQ(s.send({f.url(), {}}, sample(), kNow).outcome, SendOutcome::kDelivered);
  EXPECT_EQ(s.send({f.url(), {}}, sample(), kNow + std::chrono::minutes(50)).outcome, SendOutcome::kDelivered);
  EXPECT_EQ(f.token_requests, 1);
  EXPECT_EQ(s.send({f.url(), {}}, sample(), kNow + std::chrono::minutes(58)).outcome, SendOutcome::kDelivered);
  EXPECT_EQ(f.token_requests, 2);
}

TEST(Fcm, UnauthorizedRefreshesTheTokenOnceThenGivesUp) {
  FcmFixture f;
  auto s = f.sender();
  EXPECT_EQ(s.send({f.url(), {}}, sample(), kNow).outcome, SendOutcome::kDelivered);
  int calls = 0;
  f.send_status = [&] { return ++calls == 1 ? 401 : 200; };  // revoked token, the fresh one works
  EXPECT_EQ(s.send({f.url(), {}}, sample(), kNow).outcome, SendOutcome::kDelivered);
  EXPECT_EQ(f.token_requests, 2);
  EXPECT_EQ(f.send_auth.back(), "Bearer ya29.tok2");
  f.send_status = [] { return 403; };
  auto r = s.send({f.url(), {}}, sample(), kNow);
  EXPECT_EQ(r.outcome, SendOutcome::kPermanent);
  EXPECT_EQ(f.token_requests, 3);  // exactly one refresh per send
  EXPECT_EQ(r.detail.find("DEVICE-TOKEN-abc123"), std::string::npos);
  EXPECT_EQ(r.detail.find("ya29"), std::string::npos);
}

TEST(Fcm, UnregisteredDeviceIsGone) {
  FcmFixture f;
  f.send_status = [] { return 404; };
  auto s = f.sender();
  EXPECT_EQ(s.send({f.url(), {}}, sample(), kNow).outcome, SendOutcome::kGone);
}

TEST(Fcm, ServiceAccountErrorsNameTheSourceNotTheKey) {
  auto r = parse_service_account(R"({"type":"service_account","client_email":"a@b","private_key":"nope"})", "sa.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "sa.json: missing or invalid \"private_key\"");
  EXPECT_FALSE(parse_service_account("{", "sa.json").ok());
  HttpResponse bad;
  bad.status = 200;
  bad.body = R"({"token_type":"Bearer"})";
  EXPECT_FALSE(parse_token_response(bad, kNow, "fcm token").ok());
}

}  // namespace
}  // namespace branchcast
