#include "services/http_content_source.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "MANIFEST.sha256";
constexpr const char* kValidatorsFile = "http-validators";

// A transport error from the HttpClient starts with the (redacted) URL: keep only the reason.
std::string reason_of(const Error& e) {
  auto sep = e.message.find(": ");
  return sep == std::string::npos ? e.message : e.message.substr(sep + 2);
}

// Short, stable and not reversible: the validators file never holds the URL (it may hold a token).
std::string base_key(const std::string& base) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : base) h = (h ^ c) * 1099511628211ull;
  return to_hex(reinterpret_cast<const unsigned char*>(&h), sizeof h);
}

struct Validators {
  std::string key, version, etag, last_modified;
};

Validators load_validators(const fs::path& file) {
  Validators v;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto sp = line.find(' ');
    if (sp == std::string::npos) continue;
    std::string name = line.substr(0, sp), value = line.substr(sp + 1);
    if (name == "source") v.key = value;
    else if (name == "version") v.version = value;
    else if (name == "etag") v.etag = value;
    else if (name == "last-modified") v.last_modified = value;
  }
  return v;
}

bool printable_header(const std::string& v) {
  if (v.size() > 512) return false;
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

HttpContentSource::HttpContentSource(ContentSourceUrl url, HttpClient& http, std::string state_dir,
                                     HttpSourceOptions options)
    : url_(std::move(url)), http_(http), state_dir_(std::move(state_dir)), options_(options) {}

std::string HttpContentSource::request_url(const std::string& relative) const {
  return url_.base + "/" + percent_encode(relative, "/") + url_.query;
}

bool HttpContentSource::downgraded(const HttpResponse& res) const {
  return starts_with(url_.base, "https://") && starts_with(to_lower(res.effective_url), "http://");
}

std::string HttpContentSource::shown(const std::string& relative) const {
  std::string d = url_.display;
  if (d.empty() || d.back() != '/') d += '/';
  return d + relative;
}

Result<std::optional<std::string>> HttpContentSource::fetch_manifest() {
  HttpRequest req;
  req.url = request_url(kManifest);
  req.connect_timeout = options_.connect_timeout;
  req.total_timeout = options_.manifest_timeout;
  req.max_bytes = static_cast<int64_t>(options_.max_manifest_bytes);
  req.verify_tls = options_.verify_tls;
  const int installed = current_version(state_dir_);
  if (installed > 0) {  // only while `current` is the version this source's manifest made
    Validators v = load_validators(fs::path(state_dir_) / kValidatorsFile);
    if (v.key == base_key(url_.base) && v.version == std::to_string(installed)) {
      if (!v.etag.empty()) req.etag = v.etag;
      if (!v.last_modified.empty()) req.last_modified = v.last_modified;
    }
  }
  auto res = http_.perform(req);
  if (!res) return make_error(shown(kManifest) + ": " + reason_of(res.error()));
  if (downgraded(*res)) return make_error(shown(kManifest) + ": redirected from https to plain http (refused)");
  if (res->status == 304 && (req.etag || req.last_modified)) return std::optional<std::string>();
  if (res->status != 200)
    return make_error(shown(kManifest) + ": HTTP " + std::to_string(res->status) + " (expected 200)");
  auto etag = res->header("etag"), modified = res->header("last-modified");
  fetched_ = true;
  etag_ = etag && printable_header(*etag) ? *etag : "";
  last_modified_ = modified && printable_header(*modified) ? *modified : "";
  return std::optional<std::string>(std::move(res->body));
}

Status HttpContentSource::fetch_file(const ManifestEntry& entry, const std::string& to, uint64_t max_bytes) {
  HttpRequest req;
  req.url = request_url(entry.path);
  req.output_file = to;
  req.accept_gzip = false;  // the bytes as published: their SHA-256 is what the manifest lists
  req.connect_timeout = options_.connect_timeout;
  req.total_timeout = options_.file_timeout;
  req.max_bytes = static_cast<int64_t>(std::min(max_bytes, options_.max_file_bytes));
  req.verify_tls = options_.verify_tls;
  auto res = http_.perform(req);
  if (!res) {
    std::string why = reason_of(res.error());
    if (max_bytes < options_.max_file_bytes && why.find("larger than") != std::string::npos)
      why += "; not enough free space above the reserve";
    return make_error(shown(entry.path) + ": " + why);
  }
  if (downgraded(*res)) return make_error(shown(entry.path) + ": redirected from https to plain http (refused)");
  if (res->status != 200)
    return make_error(shown(entry.path) + ": HTTP " + std::to_string(res->status) + " (expected 200)");
  return {};
}

void HttpContentSource::committed(const std::string& state_dir) {
  if (!fetched_) return;  // a 304: the validators on disk are still right
  const fs::path file = fs::path(state_dir) / kValidatorsFile, tmp = fs::path(state_dir) / "http-validators.new";
  std::error_code ec;
  if (etag_.empty() && last_modified_.empty()) {  // a server without validators
    fs::remove(file, ec);
    return;
  }
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "source " << base_key(url_.base) << "\n";
    out << "version " << current_version(state_dir) << "\n";
    if (!etag_.empty()) out << "etag " << etag_ << "\n";
    if (!last_modified_.empty()) out << "last-modified " << last_modified_ << "\n";
    if (!out.flush()) return;  // without validators the next sync simply downloads the manifest
  }
  fs::rename(tmp, file, ec);
}

}  // namespace branchcast
