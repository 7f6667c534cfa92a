// Feed pictures for cards (issue 15 item 6): a catalogue's remote image URLs (Media RSS, iTunes,
// JSON Feed, YouTube thumbnails) fetched on a worker thread into a folder under the state dir, so
// event and recommended cards can draw them without ever waiting on the network or a decoder.
//
// Contract:
// - refresh() (any thread; the loop calls it when a feed publishes) returns at once. Each http(s)
//   URL it names is fetched on the cache's own worker thread through the HttpClient port: a plain
//   GET with no cookies, no Referer and nothing about patrons (the URLs are the catalogue's own),
//   conditional (ETag/Last-Modified) when a picture is already stored, at most once per
//   `recheck_after` per URL, and after a failure not again for `retry_after`. Other schemes (file:, data:, ftp:) are never fetched, and a redirect
//   to one is refused by the client (HttpRequest redirects are http/https only).
// - A download is checked before any decoder sees it: at most max_file_bytes, HTTP 200, magic bytes
//   of PNG, JPEG, GIF or WebP and a header size within `limits` (decompression bombs are refused
//   unread). It is then decoded by the injected decoder (on the worker), scaled to fit
//   stored_side x stored_side and stored as path_for(dir, url) (media/still_image.h raw RGBA),
//   replacing the old picture atomically.
// - Any failure (transport error, timeout, 404, too big, not a picture, undecodable) leaves the
//   last good picture in place and is logged once per URL and reason (the URL without its query).
// - The folder holds at most max_total_bytes of pictures: the least recently wanted go first.
//   index.tsv in the folder keeps sizes, validators and times across restarts.
// - Readers (the card renderer, on the loop thread) only read path_for(dir, url): a file that is
//   there is a whole picture; no file means a text-only card.
// The destructor finishes the transfer in progress (bounded by `timeout`) and drops the rest.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/log.h"
#include "common/time.h"
#include "common/worker_thread.h"
#include "feeds/catalogue.h"
#include "media/still_image.h"

namespace branchcast {

struct ImageCacheOptions {
  std::string dir;                              // created if missing
  int64_t max_file_bytes = 5 * 1024 * 1024;     // one download
  int64_t max_total_bytes = 128 * 1024 * 1024;  // stored pictures together (~1 MiB each)
  StillLimits limits;                           // header size limits, before decoding
  int stored_side = 512;                        // larger than a 1080p card's picture box
  size_t max_urls = 200;                        // per refresh (the first ones: events, then titles)
  Duration recheck_after = std::chrono::hours(1);
  Duration retry_after = std::chrono::minutes(15);
  std::chrono::milliseconds timeout{20'000};    // whole transfer (a slow server fails, not stalls)
  std::chrono::seconds low_speed_time{10};      // below 1 KiB/s this long: aborted
};

// The folder the appliance uses: <state dir>/images.
std::string image_cache_dir(const std::string& state_dir);

// The http(s) picture URLs cards may show, in the order to fetch them: events (by start), then
// titles (newest first); duplicates and other schemes left out; at most `max`.
std::vector<std::string> card_image_urls(const Catalogue& catalogue, size_t max = 200);

// True for an http:// or https:// URL (scheme case-insensitive) with a host.
bool is_web_url(const std::string& url);

class ImageCache {
 public:
  using Decoder = std::function<Result<RgbaImage>(const std::string& path)>;
  ImageCache(ImageCacheOptions options, HttpClient& http, Decoder decode, Logger log);
  ~ImageCache();
  ImageCache(const ImageCache&) = delete;
  ImageCache& operator=(const ImageCache&) = delete;

  // The stored picture of `url` in `dir` (whether or not it exists yet).
  static std::string path_for(const std::string& dir, const std::string& url);

  void refresh(const std::vector<std::string>& urls, TimePoint now);
  // Blocks until every URL handed to refresh() so far has been dealt with (tests, CLI).
  void wait_idle();

  struct Stats {
    size_t fetched = 0;       // new or changed pictures stored
    size_t not_modified = 0;  // 304 answers
    size_t failed = 0;        // fetches that kept the last good picture (or none)
    size_t evicted = 0;
    size_t stored = 0;        // pictures in the folder now
    int64_t bytes = 0;        // their size
  };
  Stats stats() const;
  // The last failure for `url` ("" when its last fetch succeeded or none was tried).
  std::string last_error(const std::string& url) const;

 private:
  struct Entry {
    int64_t bytes = 0;
    TimePoint wanted{};
    TimePoint checked{};
    std::string etag;
    std::string last_modified;
  };
  void fetch(const std::string& url, TimePoint now);
  void fail(const std::string& url, const std::string& why, TimePoint now);
  void evict_locked();
  void save_index_locked() const;
  void load_index();

  ImageCacheOptions options_;
  HttpClient& http_;
  Decoder decode_;
  Logger log_;
  mutable std::mutex mu_;
  std::condition_variable idle_cv_;
  std::map<std::string, Entry> entries_;        // by file name
  std::map<std::string, std::string> errors_;   // url -> last failure
  std::map<std::string, TimePoint> failed_at_;  // url -> when it last failed
  std::set<std::string> pending_;
  Stats stats_;
  std::unique_ptr<WorkerThread> worker_;        // last: joined first
};

}  // namespace branchcast
