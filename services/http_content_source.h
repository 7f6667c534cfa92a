// Content sync from an HTTP(S) bundle through the HttpClient port (common/http_client.h).
//
// The source URL names a folder-like base: GET <base>/MANIFEST.sha256, then GET <base>/<path> for
// every listed file the current version does not already hold (sync_content hard-links those),
// each streamed to the staging file, capped in size and time, then checked against its SHA-256.
// The URL's query (a token) is appended to every request and never shown. Conditional GET: after
// a committed sync the manifest's ETag and Last-Modified are kept in <dest_root>/http-validators
// (with a hash of the base URL and the version it made, so a new source or a version made by
// another source starts afresh) and sent as If-None-Match / If-Modified-Since while that version
// is `current`; 304 means nothing to do. Errors name
// scheme://host/path of what failed: an HTTP status, a transfer error (dead server, truncated
// body, timeout), a file over its cap, a redirect from https:// to plain http://.
#pragma once

#include <chrono>
#include <string>

#include "common/http_client.h"
#include "services/content_source_url.h"
#include "services/content_sync.h"

namespace branchcast {

struct HttpSourceOptions {
  std::chrono::milliseconds connect_timeout{15'000};
  std::chrono::milliseconds manifest_timeout{60'000};
  std::chrono::milliseconds file_timeout{30 * 60'000};  // per file; slow links still finish
  uint64_t max_manifest_bytes = 1u << 20;
  uint64_t max_file_bytes = 4ull << 30;
  bool verify_tls = true;
};

class HttpContentSource final : public ContentSource {
 public:
  // `url` must be of kind kHttp; `state_dir` is the sync's dest_root; `http` outlives this.
  HttpContentSource(ContentSourceUrl url, HttpClient& http, std::string state_dir, HttpSourceOptions options = {});

  std::string describe() const override { return url_.display; }
  Result<std::optional<std::string>> fetch_manifest() override;
  std::optional<uint64_t> size_hint(const ManifestEntry&) const override { return std::nullopt; }
  Status fetch_file(const ManifestEntry& entry, const std::string& to, uint64_t max_bytes) override;
  void committed(const std::string& state_dir) override;

 private:
  std::string request_url(const std::string& relative) const;
  std::string shown(const std::string& relative) const;
  bool downgraded(const HttpResponse& res) const;  // an https source redirected to http://

  ContentSourceUrl url_;
  HttpClient& http_;
  std::string state_dir_;
  HttpSourceOptions options_;
  bool fetched_ = false;              // the manifest came with a 200
  std::string etag_, last_modified_;  // of that manifest
};

}  // namespace branchcast
