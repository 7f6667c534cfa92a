#include "media/image_cache.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace branchcast {
namespace fs = std::filesystem;
namespace {

uint64_t fnv1a(std::string_view s, uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

int64_t to_ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_ms(int64_t ms) { return TimePoint(Duration(ms)); }

// For logs: scheme, host and path; never the query (it may carry a token of the catalogue's).
std::string shown(const std::string& url) { return url.substr(0, url.find_first_of("?#")); }

// A validator may go back into a header: printable ASCII only, bounded.
std::string header_value(const std::optional<std::string>& v) {
  if (!v || v->size() > 200) return "";
  for (unsigned char c : *v)
    if (c < 0x20 || c > 0x7e) return "";
  return *v;
}

Result<std::string> read_file(const std::string& path, int64_t max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("download not saved");
  std::string out(static_cast<size_t>(max) + 1, '\0');
  in.read(out.data(), std::streamsize(out.size()));
  out.resize(static_cast<size_t>(in.gcount()));
  if (int64_t(out.size()) > max) return make_error("larger than " + std::to_string(max) + " bytes");
  return out;
}

}  // namespace

std::string image_cache_dir(const std::string& state_dir) { return state_dir + "/images"; }

bool is_web_url(const std::string& url) {
  std::string lower = url.substr(0, 8);
  for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  size_t host = lower.rfind("https://", 0) == 0 ? 8 : lower.rfind("http://", 0) == 0 ? 7 : 0;
  return host != 0 && url.size() > host && url[host] != '/' && url.find_first_of(" \t\r\n") == std::string::npos;
}

std::vector<std::string> card_image_urls(const Catalogue& catalogue, size_t max) {
  std::vector<const CatalogueEvent*> events;
  for (const auto& e : catalogue.events) events.push_back(&e);
  std::stable_sort(events.begin(), events.end(), [](auto* a, auto* b) { return a->start < b->start; });
  std::vector<const CatalogueTitle*> titles;
  for (const auto& t : catalogue.titles) titles.push_back(&t);
  std::stable_sort(titles.begin(), titles.end(), [](auto* a, auto* b) { return a->added > b->added; });
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& url) {
    if (out.size() < max && is_web_url(url) && seen.insert(url).second) out.push_back(url);
  };
  for (auto* e : events) add(e->image);
  for (auto* t : titles) add(t->image);
  return out;
}

std::string ImageCache::path_for(const std::string& dir, const std::string& url) {
  char name[40];
  std::snprintf(name, sizeof name, "%016llx%016llx.rgba",
                static_cast<unsigned long long>(fnv1a(url, 0xcbf29ce484222325ULL)),
                static_cast<unsigned long long>(fnv1a(url, 0x84222325cbf29ce4ULL)));
  return dir + "/" + name;
}

ImageCache::ImageCache(ImageCacheOptions options, HttpClient& http, Decoder decode, Logger log)
    : options_(std::move(options)), http_(http), decode_(std::move(decode)), log_(std::move(log)) {
  std::error_code ec;
  fs::create_directories(options_.dir, ec);
  if (ec) log_.error("picture cache folder unavailable (cards stay text-only): " + ec.message());
  load_index();
  worker_ = std::make_unique<WorkerThread>();
}

ImageCache::~ImageCache() { worker_.reset(); }

void ImageCache::refresh(const std::vector<std::string>& urls, TimePoint now) {
  size_t n = 0;
  for (const std::string& url : urls) {
    if (n++ >= options_.max_urls) break;
    if (!is_web_url(url)) continue;
    {
      std::lock_guard lock(mu_);
      auto it = entries_.find(fs::path(path_for(options_.dir, url)).filename().string());
      if (it != entries_.end()) {
        it->second.wanted = std::max(it->second.wanted, now);
        if (now - it->second.checked < options_.recheck_after) continue;
      }
      if (auto f = failed_at_.find(url); f != failed_at_.end() && now - f->second < options_.retry_after) continue;
      if (!pending_.insert(url).second) continue;
    }
    worker_->submit([this, url, now] {
      fetch(url, now);
      std::lock_guard lock(mu_);
      pending_.erase(url);
      if (pending_.empty()) idle_cv_.notify_all();
    });
  }
}

void ImageCache::wait_idle() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [this] { return pending_.empty(); });
}

ImageCache::Stats ImageCache::stats() const {
  std::lock_guard lock(mu_);
  Stats s = stats_;
  s.stored = entries_.size();
  s.bytes = 0;
  for (const auto& [name, e] : entries_) s.bytes += e.bytes;
  return s;
}

std::string ImageCache::last_error(const std::string& url) const {
  std::lock_guard lock(mu_);
  auto it = errors_.find(url);
  return it == errors_.end() ? "" : it->second;
}

void ImageCache::fail(const std::string& url, const std::string& why, TimePoint now) {
  std::lock_guard lock(mu_);
  ++stats_.failed;
  failed_at_[url] = now;
  std::string& last = errors_[url];
  if (last != why) log_.warn("picture " + shown(url) + " not updated (the last good one stays): " + why);
  last = why;
}

void ImageCache::fetch(const std::string& url, TimePoint now) {
  const std::string path = path_for(options_.dir, url);
  const std::string name = fs::path(path).filename().string();
  const std::string download = path + ".download";
  HttpRequest request;
  request.url = url;
  request.max_bytes = options_.max_file_bytes;
  request.output_file = download;
  request.max_redirects = 3;
  request.total_timeout = options_.timeout;
  request.connect_timeout = std::min(options_.timeout, std::chrono::milliseconds(10'000));
  request.low_speed_bytes = 1024;
  request.low_speed_time = options_.low_speed_time;
  request.accept_gzip = false;  // pictures are compressed already; no gzip bomb either
  std::error_code ec;
  const bool have = fs::exists(path, ec);
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(name);
    if (have && it != entries_.end()) {
      if (!it->second.etag.empty()) request.etag = it->second.etag;
      if (!it->second.last_modified.empty()) request.last_modified = it->second.last_modified;
    }
  }
  auto response = http_.perform(request);
  auto done = [&] { fs::remove(download, ec); };
  if (!response) {
    done();
    return fail(url, response.error().message, now);
  }
  if (response->status == 304 && have) {
    done();
    std::lock_guard lock(mu_);
    ++stats_.not_modified;
    errors_.erase(url);
    failed_at_.erase(url);
    Entry& e = entries_[name];
    e.checked = now;
    e.wanted = std::max(e.wanted, now);
    return save_index_locked();
  }
  if (response->status != 200) {
    done();
    return fail(url, "HTTP " + std::to_string(response->status), now);
  }
  auto bytes = read_file(download, options_.max_file_bytes);
  if (!bytes) {
    done();
    return fail(url, bytes.error().message, now);
  }
  auto header = sniff_still(*bytes, options_.limits);
  if (!header) {
    done();
    return fail(url, header.error().message, now);
  }
  auto decoded = decode_ ? decode_(download) : Result<RgbaImage>(make_error("no decoder"));
  done();
  if (!decoded) return fail(url, header->format + " that cannot be decoded", now);
  if (decoded->width <= 0 || decoded->height <= 0 || decoded->width > options_.limits.max_side ||
      decoded->height > options_.limits.max_side ||
      decoded->pixels.size() != size_t(decoded->width) * decoded->height * 4)
    return fail(url, header->format + " whose decoded size is not its header's", now);
  RgbaImage stored = fit_within(*decoded, options_.stored_side, options_.stored_side);
  decoded = RgbaImage{};
  if (auto st = write_rgba_file(stored, path); !st) return fail(url, st.error().message, now);
  std::lock_guard lock(mu_);
  ++stats_.fetched;
  errors_.erase(url);
  failed_at_.erase(url);
  Entry& e = entries_[name];
  e.bytes = int64_t(fs::file_size(path, ec));
  e.checked = now;
  e.wanted = std::max(e.wanted, now);
  e.etag = header_value(response->header("etag"));
  e.last_modified = header_value(response->header("last-modified"));
  evict_locked();
  save_index_locked();
}

void ImageCache::evict_locked() {
  int64_t total = 0;
  for (const auto& [name, e] : entries_) total += e.bytes;
  while (total > options_.max_total_bytes && entries_.size() > 1) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](const auto& a, const auto& b) { return a.second.wanted < b.second.wanted; });
    std::error_code ec;
    fs::remove(options_.dir + "/" + oldest->first, ec);
    total -= oldest->second.bytes;
    entries_.erase(oldest);
    ++stats_.evicted;
  }
}

// index.tsv: name, bytes, wanted (ms), checked (ms), etag, last-modified; tab-separated.
void ImageCache::save_index_locked() const {
  const std::string path = options_.dir + "/index.tsv";
  {
    std::ofstream out(path + ".part", std::ios::trunc);
    for (const auto& [name, e] : entries_)
      out << name << '\t' << e.bytes << '\t' << to_ms(e.wanted) << '\t' << to_ms(e.checked) << '\t' << e.etag << '\t'
          << e.last_modified << '\n';
    if (!out.flush()) return;
  }
  std::error_code ec;
  fs::rename(path + ".part", path, ec);
}

void ImageCache::load_index() {
  std::ifstream in(options_.dir + "/index.tsv");
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string part; std::getline(ss, part, '\t');) f.push_back(part);
    if (f.size() < 4 || f[0].size() != 37 || f[0].find('/') != std::string::npos) continue;
    Entry e;
    try {
      e.bytes = std::stoll(f[1]);
      e.wanted = from_ms(std::stoll(f[2]));
      e.checked = from_ms(std::stoll(f[3]));
    } catch (const std::exception&) {
      continue;
    }
    if (f.size() > 4) e.etag = f[4];
    if (f.size() > 5) e.last_modified = f[5];
    std::error_code ec;
    if (fs::exists(options_.dir + "/" + f[0], ec)) entries_[f[0]] = std::move(e);
  }
  // Pictures without an index line and half-written files (a crash) go.
  std::error_code ec;
  for (const auto& file : fs::directory_iterator(options_.dir, ec)) {
    const std::string name = file.path().filename().string();
    if (name != "index.tsv" && !entries_.count(name)) fs::remove(file.path(), ec);
  }
  evict_locked();
}

}  // namespace branchcast
