#include <gtest/gtest.h>

#include <sstream>

#include "appliance/cli.h"
#include "tests/notify/support/loopback_http_server.h"

namespace branchcast {
namespace {

struct Cli {
  std::ostringstream out, err;
  SystemClock clock;
  NullLogSink log;
  int run(std::vector<std::string> argv) {
    out.str("");
    err.str("");
    CommandEnv env{out, err, log, clock};
    return run_cli(argv, env);
  }
};

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
