// Notification bench on loopback (prints figures; asserts nothing).
//
// 1. Outbox throughput: N prompts enqueued then delivered through the SQLite outbox (WAL,
//    synchronous=FULL: every state change fsync'd) to a local webhook server, messages/s; and the
//    ratio against an in-run baseline, the same N sends through the Sender with no outbox.
// 2. Build+send latency per provider (ntfy, webhook, Web Push with encryption and VAPID), p50/p99.
// 3. Build-only cost of a Web Push request (ECDH + HKDF + AES-GCM + ES256), p50/p99.
//
// Usage: bench_notify [N] [STATE_DIR]   (defaults: 300, a folder under /tmp)
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "notify/crypto.h"
#include "notify/outbox.h"
#include "notify/webpush.h"
#include "store/outbox_repository.h"
#include "tests/notify/support/loopback_http_server.h"

using namespace branchcast;
using Steady = std::chrono::steady_clock;

namespace {

SecretSource bench_secrets() {
  SecretSource s = system_secret_source();
  s.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOOK_SECRET") return std::string("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    return std::nullopt;
  };
  return s;
}

double ms_since(Steady::time_point t0) { return std::chrono::duration<double, std::milli>(Steady::now() - t0).count(); }

struct Percentiles {
  double p50, p99;
};
Percentiles percentiles(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)]};
}

Notification sample(int i) {
  Notification n;
  n.title = "Author talk";
  n.message = "Ann Cleeves talks here tomorrow at 7pm (" + std::to_string(i) + ")";
  n.click = "https://library.example.org/events/42";
  n.tags = {"books"};
  n.idempotency_key = "key-" + std::to_string(i);
  return n;
}

std::string fresh_p256_pem() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::max(10, std::atoi(argv[1])) : 300;
  std::string dir = argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / "bc-bench-notify").string();
  std::filesystem::remove_all(dir);
  test::LoopbackHttpServer server;
  auto http = make_curl_http_client();
  NullLogSink sink;
  Sender sender(*http, nullptr, bench_secrets(), SenderOptions{}, system_random_bytes());
  std::string hook = "webhook+http://" + server.authority() + "/hook?secret=${HOOK_SECRET}";
  TimePoint now = TimePoint(sys_days(std::chrono::year{2026} / 3 / 2)) + std::chrono::hours(10);

  // Baseline: Sender alone.
  auto t0 = Steady::now();
  for (int i = 0; i < n; ++i) sender.send({hook, {}}, sample(i), now);
  double baseline_s = ms_since(t0) / 1000;

  // Outbox: enqueue (one fsync'd insert each) then deliver (two fsync'd updates each).
  auto db = std::move(Database::open(dir + "/branchcast.db").value());
  auto repo = std::move(SqliteOutboxRepository::open(*db).value());
  RecipientDirectory directory({}, {{"nearby", hook}});
  PolicyConfig pc;
  pc.max_per_patron_per_day = n + 1;
  pc.bucket_capacity = n + 1;
  NotifyPolicy policy(pc, TimeZone::utc());
  OutboxOptions oo;
  oo.batch = 64;
  Outbox outbox(*repo, sender, directory, policy, [] { return 0.5; }, Logger(sink, "bench"), oo);
  t0 = Steady::now();
  for (int i = 0; i < n; ++i) {
    Prompt p{"event-" + std::to_string(i), sample(i)};
    if (!outbox.enqueue_named("nearby", p, now).ok()) return 1;
  }
  double enqueue_s = ms_since(t0) / 1000;
  int sent = 0;
  for (;;) {
    auto r = outbox.send_due(now);
    if (!r.ok() || r->sent == 0) break;
    sent += r->sent;
  }
  double total_s = ms_since(t0) / 1000;
  std::printf("outbox throughput (N=%d, %s, synchronous=FULL):\n", n, dir.c_str());
  std::printf("  enqueue only        %8.0f prompts/s\n", n / enqueue_s);
  std::printf("  enqueue + deliver   %8.0f messages/s  (%d sent)\n", sent / total_s, sent);
  std::printf("  baseline (no outbox)%8.0f messages/s  -> outbox costs %.2fx the bare send\n", n / baseline_s,
              total_s / baseline_s);

  // Latency per provider.
  std::string ua_private = sha256("browser");
  auto ua = p256_from_private(ua_private).value();
  std::string auth = sha256("auth").substr(0, 16);
  nlohmann::json sub = {{"endpoint", server.url() + "/push/abc"},
                        {"keys", {{"p256dh", base64url_encode(ua.public_key)}, {"auth", base64url_encode(auth)}}}};
  SenderOptions wp;
  wp.vapid_private_key = fresh_p256_pem();
  wp.vapid_subject = "mailto:it@library.example.org";
  Sender webpush_sender(*http, nullptr, bench_secrets(), wp, system_random_bytes());
  struct Case {
    const char* name;
    Destination d;
    Sender* s;
  };
  Case cases[] = {{"ntfy", {"ntfy://" + server.authority() + "/central", {}}, &sender},
                  {"webhook", {hook, {}}, &sender},
                  {"webpush", {"webpush", sub.dump()}, &webpush_sender}};
  std::printf("build+send latency on loopback (%d each):\n", n);
  for (auto& c : cases) {
    std::vector<double> lat;
    SendResult last;
    for (int i = 0; i < n; ++i) {
      auto t = Steady::now();
      last = c.s->send(c.d, sample(i), now);
      lat.push_back(ms_since(t));
    }
    auto p = percentiles(lat);
    std::printf("  %-8s p50 %7.3f ms  p99 %7.3f ms  (%s)\n", c.name, p.p50, p.p99, to_string(last.outcome));
  }
  std::vector<double> build;
  auto vapid = p256_from_private(sha256("vapid")).value();
  PushSubscription ps{server.url() + "/push/abc", ua.public_key, auth};
  for (int i = 0; i < n; ++i) {
    auto t = Steady::now();
    auto req = build_webpush_request(ps, sample(i), vapid, "mailto:it@example.org", now, sha256("e" + std::to_string(i)),
                                     sha256("s" + std::to_string(i)).substr(0, 16));
    build.push_back(ms_since(t));
    if (!req.ok()) return 1;
  }
  auto b = percentiles(build);
  std::printf("  webpush build only (ECDH+HKDF+AES-GCM+ES256) p50 %.3f ms  p99 %.3f ms\n", b.p50, b.p99);
  std::filesystem::remove_all(dir);
  return 0;
}
