// HttpClient over libcurl: one easy handle per request (thread-safe without sharing handles).
#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "common/http_client.h"
#include "common/strings.h"

namespace branchcast {
namespace {

struct Transfer {
  HttpResponse response;
  int64_t max_bytes = 0;
  bool too_big = false;
  std::FILE* file = nullptr;  // HttpRequest::output_file, opened on the first body byte
  const std::string* file_path = nullptr;
  int64_t written = 0;
  bool write_failed = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  int64_t have = t->file_path ? t->written : static_cast<int64_t>(t->response.body.size());
  if (have + static_cast<int64_t>(len) > t->max_bytes) {
    t->too_big = true;
    return 0;  // aborts the transfer
  }
  if (!t->file_path) {
    t->response.body.append(data, len);
    return len;
  }
  if (!t->file && !(t->file = std::fopen(t->file_path->c_str(), "wbe"))) {
    t->write_failed = true;
    return 0;
  }
  if (std::fwrite(data, 1, len, t->file) != len) {
    t->write_failed = true;
    return 0;
  }
  t->written += static_cast<int64_t>(len);
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (starts_with(line, "HTTP/")) t->response.headers.clear();  // a new response (redirect, 100)
  auto colon = line.find(':');
  if (colon != std::string_view::npos)
    t->response.headers[to_lower(trim(line.substr(0, colon)))] = std::string(trim(line.substr(colon + 1)));
  return size * n;
}

using UploadState = std::pair<std::string*, size_t*>;

size_t on_upload(char* buf, size_t size, size_t n, void* user) {
  auto* s = static_cast<UploadState*>(user);
  size_t left = s->first->size() - *s->second;
  size_t len = std::min(left, size * n);
  std::copy_n(s->first->data() + *s->second, len, buf);
  *s->second += len;
  return len;
}

// Strips credentials and query strings so error messages never carry secrets.
std::string redact(const std::string& url) {
  std::string out = url;
  if (auto q = out.find('?'); q != std::string::npos) out = out.substr(0, q) + "?...";
  auto scheme = out.find("://");
  auto at = out.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme)
    out = out.substr(0, scheme + 3) + "***@" + out.substr(at + 1);
  return out;
}

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Result<HttpResponse> perform(const HttpRequest& req) override {
    CURL* h = curl_easy_init();
    if (!h) return make_error("cannot create a curl handle");
    Transfer t;
    t.max_bytes = req.max_bytes;
    if (!req.output_file.empty()) t.file_path = &req.output_file;
    curl_slist* headers = nullptr;
    curl_slist* rcpts = nullptr;
    for (const auto& [k, v] : req.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
    if (req.etag) headers = curl_slist_append(headers, ("If-None-Match: " + *req.etag).c_str());
    if (req.last_modified)
      headers = curl_slist_append(headers, ("If-Modified-Since: " + *req.last_modified).c_str());

    curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,file,smtp,smtps");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(req.total_timeout.count()));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, req.low_speed_bytes);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(req.low_speed_time.count()));
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(req.max_bytes));
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, req.max_redirects > 0 ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, static_cast<long>(req.max_redirects));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, req.verify_tls ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, req.verify_tls ? 2L : 0L);
    if (req.accept_gzip) curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "branchcast/0.1");
    if (!req.username.empty()) curl_easy_setopt(h, CURLOPT_USERNAME, req.username.c_str());
    if (!req.password.empty()) curl_easy_setopt(h, CURLOPT_PASSWORD, req.password.c_str());

    bool smtp = starts_with(req.url, "smtp://") || starts_with(req.url, "smtps://");
    std::string upload = req.body;
    size_t upload_pos = 0;
    if (smtp) {
      curl_easy_setopt(h, CURLOPT_MAIL_FROM, req.mail_from.c_str());
      for (const auto& r : req.mail_to) rcpts = curl_slist_append(rcpts, r.c_str());
      curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
      curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(req.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(h, CURLOPT_READFUNCTION, on_upload);
    } else if (req.method == "GET") {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (req.method == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    }
    UploadState upload_state{&upload, &upload_pos};
    if (smtp) curl_easy_setopt(h, CURLOPT_READDATA, &upload_state);
    if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    char* effective = nullptr;
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
    if (effective) t.response.effective_url = effective;
    curl_slist_free_all(headers);
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(h);
    if (t.file_path) {
      if (t.file && std::fclose(t.file) != 0) t.write_failed = true;
      if (!t.file && !t.write_failed) {  // an empty body: the file still exists afterwards
        std::FILE* f = std::fopen(req.output_file.c_str(), "wbe");
        if (!f || std::fclose(f) != 0) t.write_failed = true;
      }
      if (t.write_failed) return make_error(req.output_file + ": cannot write the download (disk full?)");
    }

    if (t.too_big || rc == CURLE_FILESIZE_EXCEEDED)
      return make_error(redact(req.url) + ": response larger than " + std::to_string(req.max_bytes) +
                        " bytes (refused)");
    if (rc != CURLE_OK) {
      std::string why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
      return make_error(redact(req.url) + ": " + redact(why));
    }
    t.response.status = status;
    return std::move(t.response);
  }
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_http_client() { return std::make_unique<CurlHttpClient>(); }

}  // namespace branchcast
