#include "notify/provider_url.h"

#include <gtest/gtest.h>

#include "notify/http_providers.h"

namespace branchcast {
namespace {

SecretSource env_of(std::map<std::string, std::string> vars) {
  SecretSource s;
  s.env = [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  s.read_file = [](const std::string& path) -> Result<std::string> {
    if (path == "/etc/branchcast/hook.secret") return std::string("whsec_c2VjcmV0LWZyb20tZmlsZQ==\n");
    return make_error("cannot read " + path);
  };
  return s;
}

TEST(ProviderUrl, ExpandsEnvSecretsAndRecordsThem) {
  auto t = parse_provider_url("gotify://push.example.org/${GOTIFY_TOKEN}", env_of({{"GOTIFY_TOKEN", "AbCdEf123"}}));
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->kind, ProviderKind::kGotify);
  EXPECT_EQ(t->host, "push.example.org");
  ASSERT_EQ(t->path.size(), 1u);
  EXPECT_EQ(t->path[0], "AbCdEf123");
  EXPECT_EQ(t->display, "gotify://push.example.org");
  EXPECT_EQ(scrub("token AbCdEf123 leaked", t->secrets), "token *** leaked");
}

TEST(ProviderUrl, UnsetVariableIsAnErrorNamingTheVariableNotAValue) {
  auto t = parse_provider_url("ntfys://user:${NTFY_PASS}@ntfy.example.org/topic", env_of({}));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "ntfys://ntfy.example.org: environment variable NTFY_PASS is not set");
}

TEST(ProviderUrl, SecretFileValuesAreReadAndHidden) {
  auto t = parse_provider_url("webhook+https://hooks.example.org/in?secret=file:/etc/branchcast/hook.secret&x=1",
                              env_of({}));
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->query.at("secret"), "whsec_c2VjcmV0LWZyb20tZmlsZQ==");
  EXPECT_EQ(t->query.at("x"), "1");
  auto missing = parse_provider_url("webhook+https://h/in?secret=file:/nope", env_of({}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "webhook+https://h: cannot read the secret file");
}

TEST(ProviderUrl, UnknownSchemeListsTheKnownOnes) {
  auto t = parse_provider_url("pushover://x/y", env_of({}));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("unknown provider scheme 'pushover'"), std::string::npos);
  EXPECT_TRUE(parse_provider_url("webpush", env_of({}))->kind == ProviderKind::kWebPush);
}

TEST(ProviderUrl, DisplayNeverShowsUserInfoPathOrQuery) {
  EXPECT_EQ(display_url("mailto://lib:${P}@smtp.example.org:587/patron@example.org?from=a@b"),
            "mailto://smtp.example.org:587");
  EXPECT_EQ(display_url("ntfy://ntfy.example.org/p-4821-3f9a"), "ntfy://ntfy.example.org");
}

TEST(ProviderUrl, HeaderValuesCannotInjectHeaders) {
  auto t = parse_provider_url("ntfy://h/topic", env_of({}));
  Notification n;
  n.title = "Hello\r\nX-Evil: 1";
  n.message = "m";
  auto req = build_ntfy_request(*t, n);
  ASSERT_TRUE(req.ok());
  for (const auto& [k, v] : req->headers) EXPECT_EQ(v.find('\n'), std::string::npos) << k;
}

}  // namespace
}  // namespace branchcast
