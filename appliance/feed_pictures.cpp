#include "appliance/feed_pictures.h"

#include "media/gst_player.h"

namespace branchcast {

std::unique_ptr<FeedPictures> FeedPictures::start(const std::string& state_dir, LogSink& sink) {
  std::unique_ptr<FeedPictures> p(new FeedPictures());
  p->http_ = make_curl_http_client();
  ImageCacheOptions options;
  options.dir = image_cache_dir(state_dir);
  p->cache_ = std::make_unique<ImageCache>(options, *p->http_, gst_read_image, Logger(sink, "pictures"));
  return p;
}

FeedPictures::~FeedPictures() { cache_.reset(); }

void FeedPictures::on_catalogue(const Catalogue& catalogue, TimePoint now) {
  cache_->refresh(card_image_urls(catalogue), now);
}

}  // namespace branchcast
