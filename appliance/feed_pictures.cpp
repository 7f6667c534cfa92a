#include "appliance/feed_pictures.h"

#include "media/gst_player.h"

namespace branchcast {

std::unique_ptr<FeedPictures> FeedPictures::start(const std::string& state_dir, HttpClient& http, LogSink& sink) {
  std::unique_ptr<FeedPictures> p(new FeedPictures());
  ImageCacheOptions options;
  options.dir = image_cache_dir(state_dir);
  p->cache_ = std::make_unique<ImageCache>(options, http, gst_read_image, Logger(sink, "pictures"));
  return p;
}

FeedPictures::~FeedPictures() { cache_.reset(); }

void FeedPictures::on_catalogue(const Catalogue& catalogue, TimePoint now) {
  cache_->refresh(card_image_urls(catalogue), now);
}

}  // namespace branchcast
