// The running appliance's feed pictures (issue 15 item 6): one ImageCache (media/image_cache.h) in
// <state dir>/images, fed with each published catalogue, fetching through the appliance's HTTP client
// (thread-safe, outlives this) on its own worker and decoding with GStreamer there. Screens read the cached files by path
// (ScreenRunnerOptions::image_cache_dir), so nothing here is shared with them.
//
// Loop thread: start() and on_catalogue(); the destructor joins the worker (at most one transfer).
#pragma once

#include <memory>
#include <string>

#include "common/http_client.h"
#include "common/log.h"
#include "feeds/catalogue.h"
#include "media/image_cache.h"

namespace branchcast {

class FeedPictures {
 public:
  static std::unique_ptr<FeedPictures> start(const std::string& state_dir, HttpClient& http, LogSink& sink);
  ~FeedPictures();

  // The pictures cards may show from this catalogue are fetched (or re-checked) off the loop.
  void on_catalogue(const Catalogue& catalogue, TimePoint now);

 private:
  FeedPictures() = default;
  std::unique_ptr<ImageCache> cache_;
};

}  // namespace branchcast
