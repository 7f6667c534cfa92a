// Content sync bench on loopback (prints figures; asserts nothing).
//
// A bundle of FILES files of MB_EACH MiB is served by a loopback HTTP server.
// 1. Baseline: the same files downloaded through the same HttpClient to disk, nothing else.
// 2. Full sync into an empty dest: download + SHA-256 + fsync + rename + swap. Ratio to 1.
// 3. Re-sync after one file changed: the others are hard-linked from the current version.
// 4. Re-sync with nothing changed: a conditional GET answered 304.
// Each step runs ROUNDS times; the median is printed.
//
// Usage: bench_sync [FILES] [MB_EACH] [ROUNDS]   (defaults: 20 5 3), in a folder under /tmp
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/http_client.h"
#include "services/content_source_url.h"
#include "services/content_sync.h"
#include "services/http_content_source.h"
#include "tests/notify/support/loopback_http_server.h"

using namespace branchcast;
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

namespace {

double ms_since(Steady::time_point t0) { return std::chrono::duration<double, std::milli>(Steady::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Bundle {
  std::mutex mu;
  std::map<std::string, std::string> files;
  std::string manifest, etag;
  void publish() {
    manifest.clear();
    for (const auto& [path, body] : files) manifest += sha256_hex(body.data(), body.size()) + "  " + path + "\n";
    etag = "\"" + sha256_hex(manifest.data(), manifest.size()).substr(0, 16) + "\"";
  }
  test::Reply answer(const test::RecordedRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    std::string path = r.target.substr(std::string("/b/").size());
    if (path == "MANIFEST.sha256") {
      if (r.header("if-none-match") == etag) return test::Reply{304, {{"ETag", etag}}, ""};
      return test::Reply{200, {{"ETag", etag}}, manifest};
    }
    auto f = files.find(path);
    return f == files.end() ? test::Reply{404, {}, ""} : test::Reply{200, {}, f->second};
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int files = argc > 1 ? std::atoi(argv[1]) : 20;
  const int mb = argc > 2 ? std::atoi(argv[2]) : 5;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  const fs::path dir = fs::temp_directory_path() / ("bc-bench-sync-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);

  Bundle bundle;
  for (int i = 0; i < files; ++i) {
    std::string body(static_cast<size_t>(mb) << 20, '\0');
    for (size_t j = 0; j < body.size(); ++j) body[j] = static_cast<char>((j * 2654435761u + static_cast<size_t>(i)) >> 13);
    bundle.files["media/item" + std::to_string(i) + ".webm"] = std::move(body);
  }
  bundle.publish();
  test::LoopbackHttpServer server([&](const test::RecordedRequest& r) { return bundle.answer(r); });
  auto http = make_curl_http_client();
  auto url = parse_content_source_url(server.url() + "/b/");
  const double total_mb = static_cast<double>(files) * mb;
  SyncOptions options;
  options.reserve_bytes = 0;

  std::vector<double> baseline, full, one_changed, unchanged;
  for (int round = 0; round < rounds; ++round) {
    fs::path plain = dir / ("plain" + std::to_string(round));
    fs::create_directories(plain);
    auto t0 = Steady::now();
    for (const auto& [path, body] : bundle.files) {
      HttpRequest req;
      req.url = server.url() + "/b/" + path;
      req.output_file = (plain / fs::path(path).filename()).string();
      req.max_bytes = 1ll << 34;
      req.accept_gzip = false;
      auto res = http->perform(req);
      if (!res || res->status != 200) return std::fprintf(stderr, "baseline download failed\n"), 1;
    }
    baseline.push_back(ms_since(t0));
    fs::remove_all(plain);

    fs::path dest = dir / ("dest" + std::to_string(round));
    HttpContentSource source(*url, *http, dest.string());
    t0 = Steady::now();
    auto r = sync_content(source, dest.string(), options);
    full.push_back(ms_since(t0));
    if (!r || r->files != files) return std::fprintf(stderr, "sync failed: %s\n", r ? "" : r.error().message.c_str()), 1;

    {
      std::lock_guard<std::mutex> lock(bundle.mu);
      bundle.files["media/item0.webm"][round] ^= 1;
      bundle.publish();
    }
    HttpContentSource again(*url, *http, dest.string());
    t0 = Steady::now();
    r = sync_content(again, dest.string(), options);
    one_changed.push_back(ms_since(t0));
    if (!r || r->reused != files - 1) return std::fprintf(stderr, "re-sync did not reuse\n"), 1;

    HttpContentSource same(*url, *http, dest.string());
    t0 = Steady::now();
    r = sync_content(same, dest.string(), options);
    unchanged.push_back(ms_since(t0));
    if (!r || r->changed) return std::fprintf(stderr, "unchanged sync changed\n"), 1;
    fs::remove_all(dest);
  }
  fs::remove_all(dir);

  const double b = median(baseline), f = median(full), o = median(one_changed), u = median(unchanged);
  std::printf("bundle: %d files x %d MiB = %.0f MiB over loopback HTTP, median of %d rounds\n", files, mb, total_mb, rounds);
  std::printf("baseline (plain downloads to disk): %.0f ms (%.0f MiB/s)\n", b, total_mb / b * 1000);
  std::printf("full sync (download + SHA-256 + fsync + swap): %.0f ms (%.0f MiB/s) = %.2fx the baseline\n", f,
              total_mb / f * 1000, f / b);
  std::printf("one file changed (others hard-linked, re-hashed): %.0f ms = %.2fx the full sync\n", o, o / f);
  std::printf("unchanged (conditional GET, 304): %.1f ms = %.4fx the full sync\n", u, u / f);
  return 0;
}
