// Email through a real SMTP sink (python3-aiosmtpd) on loopback: plain, AUTH, and STARTTLS.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "notify/sender.h"
#include "tests/notify/fakes/test_secrets.h"
#include "tests/notify/support/child_process.h"
#include "tests/notify/support/loopback_http_server.h"

namespace branchcast {
namespace {

const TimePoint kNow = TimePoint(std::chrono::seconds(1772442000));

struct SmtpSink {
  std::string dir;
  int port = test::free_loopback_port();
  std::unique_ptr<test::ChildProcess> proc;

  explicit SmtpSink(bool tls) {
    dir = (std::filesystem::temp_directory_path() / ("bc-smtp-" + std::to_string(::getpid()) + (tls ? "-tls" : ""))).string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::vector<std::string> argv = {"/usr/bin/python3", std::string(BRANCHCAST_SOURCE_DIR) + "/tests/notify/support/smtp_sink.py",
                                     std::to_string(port), dir};
    if (tls) {
      test::write_self_signed_cert(dir + "/cert.pem", dir + "/key.pem");
      argv.push_back(dir + "/cert.pem");
      argv.push_back(dir + "/key.pem");
    }
    proc = std::make_unique<test::ChildProcess>(argv);
  }
  ~SmtpSink() {
    proc.reset();
    std::filesystem::remove_all(dir);
  }
  bool ready() { return test::wait_for_file(dir + "/ready") && test::wait_for_port(port); }
  std::string message(int n) {
    char name[16];
    std::snprintf(name, sizeof name, "/%04d.eml", n);
    std::ifstream in(dir + name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
};

Notification sample() {
  Notification n;
  n.title = "Storytime in 15 minutes — Room B";
  n.message = "Bring the little ones.\n.A line starting with a dot";
  n.click = "https://library.example.org/events/7";
  n.idempotency_key = "key-7";
  return n;
}

TEST(Email, DeliversAnRfc5322Message) {
  SmtpSink sink(false);
  ASSERT_TRUE(sink.ready());
  auto http = make_curl_http_client();
  Sender s(*http, nullptr, test::secrets_of({}), {}, system_random_bytes());
  auto r = s.send({"mailto://127.0.0.1:" + std::to_string(sink.port) +
                       "/patron@example.org?from=branch@library.example.org", {}},
                  sample(), kNow);
  ASSERT_EQ(r.outcome, SendOutcome::kDelivered) << r.detail;
  std::string m = sink.message(1);
  EXPECT_NE(m.find("MAIL FROM: branch@library.example.org\n"), std::string::npos) << m;
  EXPECT_NE(m.find("RCPT TO: patron@example.org\n"), std::string::npos);
  EXPECT_NE(m.find("AUTH: False\n"), std::string::npos);
  EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(m.find("Date: Mon, 02 Mar 2026 09:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(m.find("\r\n\r\nBring the little ones.\r\n.A line starting with a dot\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("Message-ID: <"), std::string::npos);
}

TEST(Email, APasswordIsNeverSentWithoutTls) {
  SmtpSink sink(false);  // offers AUTH but no STARTTLS
  ASSERT_TRUE(sink.ready());
  auto http = make_curl_http_client();
  Sender s(*http, nullptr, test::secrets_of({{"SMTP_PASS", "s3cret-pass"}}), {}, system_random_bytes());
  std::string base = "mailto://lib:${SMTP_PASS}@127.0.0.1:" + std::to_string(sink.port) + "/patron@example.org";
  auto refused = s.send({base, {}}, sample(), kNow);
  EXPECT_NE(refused.outcome, SendOutcome::kDelivered);
  EXPECT_EQ(refused.detail.find("s3cret-pass"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(sink.dir + "/0001.eml"));
  auto allowed = s.send({base + "?tls=optional", {}}, sample(), kNow);  // staff opted out
  ASSERT_EQ(allowed.outcome, SendOutcome::kDelivered) << allowed.detail;
  EXPECT_NE(sink.message(1).find("AUTH: True\n"), std::string::npos);
}

TEST(Email, UsesStartTlsWhenTheServerOffersIt) {
  SmtpSink sink(true);
  ASSERT_TRUE(sink.ready());
  auto http = make_curl_http_client();
  SenderOptions options;
  options.verify_tls = false;  // a self-signed loopback certificate
  Sender s(*http, nullptr, test::secrets_of({{"SMTP_PASS", "s3cret-pass"}}), options, system_random_bytes());
  auto r = s.send({"mailto://lib:${SMTP_PASS}@127.0.0.1:" + std::to_string(sink.port) + "/patron@example.org", {}},
                  sample(), kNow);
  ASSERT_EQ(r.outcome, SendOutcome::kDelivered) << r.detail;
  std::string m = sink.message(1);
  EXPECT_NE(m.find("TLS: True\n"), std::string::npos) << m;
  EXPECT_NE(m.find("AUTH: True\n"), std::string::npos) << m;
}

TEST(Email, WrongPasswordIsAnErrorWithoutThePassword) {
  SmtpSink sink(true);
  ASSERT_TRUE(sink.ready());
  auto http = make_curl_http_client();
  SenderOptions options;
  options.verify_tls = false;
  Sender s(*http, nullptr, test::secrets_of({{"SMTP_PASS", "not-the-pass"}}), options, system_random_bytes());
  auto r = s.send({"mailto://lib:${SMTP_PASS}@127.0.0.1:" + std::to_string(sink.port) + "/patron@example.org", {}},
                  sample(), kNow);
  EXPECT_NE(r.outcome, SendOutcome::kDelivered);
  EXPECT_EQ(r.detail.find("not-the-pass"), std::string::npos) << r.detail;
  EXPECT_EQ(r.detail.find("patron@example.org"), std::string::npos) << r.detail;
  EXPECT_FALSE(std::filesystem::exists(sink.dir + "/0001.eml"));
}

}  // namespace
}  // namespace branchcast
