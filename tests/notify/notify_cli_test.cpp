#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "notify/crypto.h"
#include "tests/notify/support/webpush_decrypt.h"

#include "appliance/cli.h"
#include "tests/notify/support/loopback_http_server.h"
#include "tests/appliance/cli_harness.h"

namespace branchcast {
namespace {

using Cli = test_support::Cli;

TEST(NotifyCli, SendsThroughTheProviderAndPrintsItsAnswer) {
  test::LoopbackHttpServer server([](const test::RecordedRequest&) {
    return test::Reply{200, {{"Content-Type", "application/json"}}, R"({"id":"xyz","event":"message"})"};
  });
  Cli cli;
  ::setenv("BC_TEST_NTFY_TOKEN", "tk_cli_secret_999", 1);
  int rc = cli.run({"notify", "test", "--provider", "ntfy://" + server.authority() + "/lib-test?token=${BC_TEST_NTFY_TOKEN}",
                    "--title", "Hello", "--message", "From the CLI"});
  EXPECT_EQ(rc, 0) << cli.err.str();
  EXPECT_EQ(cli.out.str(), "ntfy://" + server.authority() + ": delivered\nHTTP 200: {\"id\":\"xyz\",\"event\":\"message\"}\n");
  auto req = server.requests().at(0);
  EXPECT_EQ(req.header("title"), "Hello");
  EXPECT_EQ(req.body, "From the CLI");
  EXPECT_EQ(req.header("authorization"), "Bearer tk_cli_secret_999");
}

TEST(NotifyCli, ProviderErrorsExitOneWithoutSecrets) {
  test::LoopbackHttpServer server([](const test::RecordedRequest& r) {
    return test::Reply{401, {}, "bad token " + r.header("authorization")};
  });
  Cli cli;
  ::setenv("BC_TEST_NTFY_TOKEN", "tk_cli_secret_999", 1);
  EXPECT_EQ(cli.run({"notify", "test", "--provider", "ntfy://" + server.authority() + "/t?token=${BC_TEST_NTFY_TOKEN}"}), 1);
  EXPECT_NE(cli.out.str().find("permanent failure"), std::string::npos);
  EXPECT_EQ(cli.out.str().find("tk_cli_secret_999"), std::string::npos) << cli.out.str();
}

TEST(NotifyCli, WebPushTakesVapidFromTheConfig) {
  test::LoopbackHttpServer server([](const test::RecordedRequest&) { return test::Reply{201, {}, ""}; });
  auto dir = std::filesystem::temp_directory_path() / ("bc-notify-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "vapid.pem") << test::generate_p256_pem();
  std::ofstream(dir / "appliance.yaml") << "branch:\n  id: central\n  name: Central Library\n  timezone: Europe/London\n"
                                           "notifications:\n  vapid: { private_key: file:vapid.pem, subject: "
                                           "mailto:it@library.example.org }\n";
  std::string ua_private = sha256("cli browser");
  auto ua = p256_from_private(ua_private).value();
  std::string auth = sha256("cli auth").substr(0, 16);
  nlohmann::json sub = {{"endpoint", server.url() + "/wpush/xyz"},
                        {"keys", {{"p256dh", base64url_encode(ua.public_key)}, {"auth", base64url_encode(auth)}}}};
  std::ofstream(dir / "sub.json") << sub.dump();
  Cli cli;
  int rc = cli.run({"notify", "test", "--config", (dir / "appliance.yaml").string(), "--provider", "webpush",
                    "--subscription", (dir / "sub.json").string(), "--message", "Hello from the config"});
  EXPECT_EQ(rc, 0) << cli.err.str() << cli.out.str();
  ASSERT_EQ(server.requests().size(), 1u);
  auto req = server.requests()[0];
  EXPECT_NE(req.header("authorization").find("vapid t="), std::string::npos);
  auto plain = test::webpush_decrypt(req.body, ua_private, auth);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(nlohmann::json::parse(*plain)["body"], "Hello from the config");
  EXPECT_EQ(cli.out.str().find("xyz"), std::string::npos);  // the endpoint path is the device's address
  std::filesystem::remove_all(dir);
}

TEST(NotifyCli, UsageErrors) {
  Cli cli;
  EXPECT_EQ(cli.run({"notify"}), 2);
  EXPECT_EQ(cli.run({"notify", "test"}), 2);
  EXPECT_NE(cli.err.str().find("--provider URL is required"), std::string::npos);
  EXPECT_EQ(cli.run({"notify", "test", "--provider", "webpush", "--subscription", "/nonexistent/sub.json"}), 1);
  EXPECT_EQ(cli.run({"notify", "test", "--provider", "webpush"}), 1);
  EXPECT_NE(cli.out.str().find("no subscription"), std::string::npos);
}

}  // namespace
}  // namespace branchcast
