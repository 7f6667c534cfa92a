#include "feeds/feed_source.h"

#include <algorithm>
#include <ctime>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/strings.h"
#include "feeds/feed_cache.h"

namespace branchcast {

std::string feed_source_key(const std::string& source) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : source) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

bool is_url(const std::string& source) {
  return starts_with(source, "http://") || starts_with(source, "https://") || starts_with(source, "file:");
}

std::string display_source(const std::string& source) {
  if (!is_url(source)) return source;
  if (starts_with(source, "file:")) return source.substr(0, source.find('?'));
  auto scheme = source.find("://");
  auto host_start = scheme + 3;
  auto host_end = source.find_first_of("/?#", host_start);
  std::string host = source.substr(host_start, host_end == std::string::npos ? std::string::npos
                                                                              : host_end - host_start);
  if (auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  return source.substr(0, host_start) + host + "/...";
}

std::string charset_of(const std::string& content_type) {
  std::string lower = to_lower(content_type);
  auto at = lower.find("charset=");
  if (at == std::string::npos) return "";
  std::string v(trim(std::string_view(lower).substr(at + 8)));
  if (auto semi = v.find(';'); semi != std::string::npos) v = v.substr(0, semi);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return std::string(trim(v));
}

Result<FeedBody> read_feed_source(const std::string& source, HttpClient& http, HttpRequest request,
                                  std::string* retry_after) {
  FeedBody out;
  const std::string shown = display_source(source);
  if (!is_url(source)) {
    std::error_code ec;
    auto size = std::filesystem::file_size(source, ec);
    if (ec) return make_error(source + ": cannot read: " + ec.message());
    if (static_cast<int64_t>(size) > request.max_bytes)
      return make_error(source + ": " + std::to_string(size) + " bytes is over the limit of " +
                        std::to_string(request.max_bytes) + " bytes (refused)");
    std::ifstream in(source, std::ios::binary);
    if (!in) return make_error(source + ": cannot open");
    out.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return out;
  }
  request.url = source;
  request.method = "GET";
  auto r = http.perform(request);
  if (!r) {
    // The adapter's message starts with the (query-redacted) URL; show only the scheme and host.
    std::string why = r.error().message;
    if (is_url(why)) {
      auto colon = why.find(": ", why.find(':') + 1);
      if (colon != std::string::npos) why = why.substr(colon + 2);
    }
    return make_error(shown + ": " + why);
  }
  out.effective_url = r->effective_url;
  if (r->status == 304 && (request.etag || request.last_modified)) {
    out.not_modified = true;
    out.etag = request.etag;
    out.last_modified = request.last_modified;
    if (auto e = r->header("etag")) out.etag = *e;
    return out;
  }
  if ((r->status == 429 || r->status == 503) && retry_after)
    if (auto v = r->header("retry-after")) *retry_after = *v;
  if (r->status != 200 && !(r->status == 0 && starts_with(source, "file:")))
    return make_error(shown + ": HTTP status " + std::to_string(r->status) +
                      (r->status == 404 ? " (not found)" : r->status >= 500 ? " (server error)" : ""));
  out.body = std::move(r->body);
  out.charset = charset_of(r->header("content-type").value_or(""));
  out.etag = r->header("etag");
  out.last_modified = r->header("last-modified");
  return out;
}

std::optional<Duration> parse_retry_after(const std::string& value, TimePoint now) {
  constexpr long long kCap = 24 * 3600;
  std::string v = std::string(trim(value));
  if (!v.empty() && v.size() <= 12 && v.find_first_not_of("0123456789") == std::string::npos)
    return std::chrono::duration_cast<Duration>(std::chrono::seconds(std::min(std::stoll(v), kCap)));
  std::tm tm{};
  const char* end = ::strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end) return std::nullopt;
  auto when = std::chrono::system_clock::from_time_t(::timegm(&tm));
  auto wait = std::chrono::duration_cast<std::chrono::seconds>(
      when - std::chrono::time_point_cast<std::chrono::system_clock::duration>(now));
  long long secs = std::clamp<long long>(wait.count(), 0, kCap);
  return std::chrono::duration_cast<Duration>(std::chrono::seconds(secs));
}

}  // namespace branchcast
