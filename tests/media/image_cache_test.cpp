// Feed pictures fetched for cards (media/image_cache.h) from a real HTTP server on 127.0.0.1
// through the libcurl adapter and decoded by GStreamer: success, 404, a huge body, a body that is
// not a picture, a slow server, a bomb, other schemes; the last good picture always stays. And the
// card that shows a cached picture, read back pixel by pixel (SDL2_ttf renderer).
#include "media/image_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "media/card.h"
#include "media/gst_player.h"
#include "media/sdl_card_renderer.h"
#include "tests/notify/support/loopback_http_server.h"

namespace branchcast {
namespace {

using test::LoopbackHttpServer;
using test::RecordedRequest;
using test::Reply;

TimePoint t0() { return TimePoint(std::chrono::hours(24 * 365 * 57)); }

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A PNG of one colour, encoded by GStreamer.
std::string png(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
  RgbaImage img;
  img.width = w;
  img.height = h;
  for (int i = 0; i < w * h; ++i) img.pixels.insert(img.pixels.end(), {r, g, b, 255});
  const std::string path = ::testing::TempDir() + "/image_cache_test_src.png";
  EXPECT_TRUE(gst_write_png(img, path).ok());
  return read_bytes(path);
}

class ImageCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/image_cache_test_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    red_ = png(64, 32, 220, 20, 20);
  }
  ImageCacheOptions options() {
    ImageCacheOptions o;
    o.dir = dir_;
    o.max_file_bytes = 1024 * 1024;
    o.timeout = std::chrono::milliseconds(2'000);
    return o;
  }
  std::unique_ptr<ImageCache> cache(ImageCacheOptions o) {
    return std::make_unique<ImageCache>(std::move(o), *http_, [this](const std::string& p) {
      ++decodes_;
      return gst_read_image(p);
    }, Logger(sink_, "pictures"));
  }
  // Fetches `url` once at `at` and waits for the answer.
  static void fetch(ImageCache& c, const std::string& url, TimePoint at) {
    c.refresh({url}, at);
    c.wait_idle();
  }
  // The stored picture's colour in its middle, or nullopt when there is none.
  std::optional<RgbaImage::Pixel> stored(const std::string& url) const {
    auto img = read_rgba_file(ImageCache::path_for(dir_, url));
    if (!img) return std::nullopt;
    return img->at(img->width / 2, img->height / 2);
  }

  std::string dir_;
  std::string red_;
  std::atomic<int> decodes_{0};
  NullLogSink sink_;
  std::unique_ptr<HttpClient> http_ = make_curl_http_client();
};

TEST_F(ImageCacheTest, SuccessStoresTheDecodedPictureAndRechecksConditionally) {
  LoopbackHttpServer server([&](const RecordedRequest& r) {
    if (r.header("if-none-match") == "\"v1\"") return Reply{304, {{"ETag", "\"v1\""}}, ""};
    return Reply{200, {{"Content-Type", "image/png"}, {"ETag", "\"v1\""}}, red_};
  });
  auto c = cache(options());
  const std::string url = server.url() + "/covers/raven.png?size=l";
  fetch(*c, url, t0());
  auto px = stored(url);
  ASSERT_TRUE(px) << c->last_error(url);
  EXPECT_EQ(px->r, 220);
  EXPECT_EQ(px->g, 20);
  EXPECT_EQ(c->stats().fetched, 1u);
  EXPECT_EQ(c->last_error(url), "");
  // The request is the catalogue URL and nothing more: no cookie, no referer, no identity.
  ASSERT_EQ(server.requests().size(), 1u);
  const RecordedRequest first = server.requests()[0];
  EXPECT_EQ(first.target, "/covers/raven.png?size=l");
  for (const char* h : {"cookie", "referer", "authorization", "x-patron", "from"}) EXPECT_EQ(first.header(h), "") << h;
  // Within recheck_after nothing is asked; after it, a conditional GET answered 304 keeps the file.
  fetch(*c, url, t0() + std::chrono::minutes(30));
  EXPECT_EQ(server.requests().size(), 1u);
  fetch(*c, url, t0() + std::chrono::hours(2));
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.requests()[1].header("if-none-match"), "\"v1\"");
  EXPECT_EQ(c->stats().not_modified, 1u);
  EXPECT_TRUE(stored(url));
  EXPECT_EQ(decodes_, 1);
}

TEST_F(ImageCacheTest, LargePicturesAreStoredScaledToTheCardsSize) {
  const std::string big = png(1024, 512, 10, 200, 10);
  LoopbackHttpServer server([&](const RecordedRequest&) { return Reply{200, {}, big}; });
  ImageCacheOptions o = options();
  o.stored_side = 256;
  auto c = cache(o);
  fetch(*c, server.url() + "/big.png", t0());
  auto img = read_rgba_file(ImageCache::path_for(dir_, server.url() + "/big.png"));
  ASSERT_TRUE(img.ok()) << c->last_error(server.url() + "/big.png");
  EXPECT_EQ(img->width, 256);
  EXPECT_EQ(img->height, 128);
  EXPECT_EQ(img->at(100, 60).g, 200);
}

// 404, a huge body, a body that is not a picture, a slow server: each keeps the last good picture.
TEST_F(ImageCacheTest, EveryFailureKeepsTheLastGoodPicture) {
  std::atomic<int> mode{0};
  const std::string huge(3 * 1024 * 1024, 'x');
  LoopbackHttpServer server([&](const RecordedRequest&) {
    switch (mode.load()) {
      case 1: return Reply{404, {{"Content-Type", "text/html"}}, "<html>Not found</html>"};
      case 2: return Reply{200, {{"Content-Type", "image/png"}}, std::string("\x89PNG\r\n\x1a\n", 8) + huge};
      case 3: return Reply{200, {{"Content-Type", "image/jpeg"}}, "<!doctype html><title>Log in</title>"};
      case 4: {
        Reply slow{200, {}, red_};
        slow.delay = std::chrono::milliseconds(3'000);
        return slow;
      }
      default: return Reply{200, {}, red_};
    }
  });
  ImageCacheOptions o = options();
  o.timeout = std::chrono::milliseconds(500);
  auto c = cache(o);
  const std::string url = server.url() + "/e.png";
  const std::string never = server.url() + "/never.png";
  fetch(*c, url, t0());
  ASSERT_TRUE(stored(url)) << c->last_error(url);
  struct Case {
    int mode;
    const char* error;
  };
  int hour = 0;
  // (0: the server is back and the picture replaced; the slow server last, as it holds the
  // one-connection server busy after the client gave up.)
  for (Case k : {Case{1, "HTTP 404"}, Case{2, "1048576"}, Case{3, "not a picture"}, Case{0, ""}, Case{4, "timed out"}}) {
    SCOPED_TRACE(k.mode);
    mode = k.mode;
    hour += 2;
    fetch(*c, url, t0() + std::chrono::hours(hour));
    if (k.mode == 0) {
      EXPECT_EQ(c->last_error(url), "");
      continue;
    }
    EXPECT_NE(c->last_error(url).find(k.error), std::string::npos) << c->last_error(url);
    auto px = stored(url);
    ASSERT_TRUE(px);  // the last good picture
    EXPECT_EQ(px->r, 220);
    fetch(*c, never, t0() + std::chrono::hours(hour));  // and a URL never fetched has none
    EXPECT_FALSE(stored(never));
  }
  EXPECT_EQ(c->stats().failed, 8u);
  EXPECT_EQ(decodes_, 2);  // nothing that failed the checks reached the decoder
  // No half-written files are left behind.
  for (const auto& f : std::filesystem::directory_iterator(dir_))
    EXPECT_EQ(f.path().string().find(".download"), std::string::npos) << f.path();
}

TEST_F(ImageCacheTest, BombsOtherSchemesAndRedirectsToThemAreRefused) {
  LoopbackHttpServer server([&](const RecordedRequest& r) {
    if (r.target == "/bomb.png") {
      std::string b("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x06\0\0\0", 29);
      return Reply{200, {}, b + std::string(1000, '\0')};
    }
    if (r.target == "/to-file.png") return Reply{302, {{"Location", "file:///etc/passwd"}}, ""};
    if (r.target == "/to-http.png") return Reply{302, {{"Location", "/ok.png"}}, ""};
    return Reply{200, {}, red_};
  });
  auto c = cache(options());
  fetch(*c, server.url() + "/bomb.png", t0());
  EXPECT_NE(c->last_error(server.url() + "/bomb.png").find("100000x100000 is larger than pictures may be"),
            std::string::npos);
  EXPECT_EQ(decodes_, 0);
  const size_t after_bomb = server.requests().size();
  fetch(*c, server.url() + "/bomb.png", t0() + std::chrono::minutes(5));  // failed recently: not asked
  EXPECT_EQ(server.requests().size(), after_bomb);
  fetch(*c, server.url() + "/bomb.png", t0() + std::chrono::minutes(16));  // retry_after (15 min) passed
  EXPECT_EQ(server.requests().size(), after_bomb + 1);
  EXPECT_EQ(decodes_, 0);
  fetch(*c, server.url() + "/to-file.png", t0());
  EXPECT_FALSE(stored(server.url() + "/to-file.png"));
  EXPECT_NE(c->last_error(server.url() + "/to-file.png"), "");
  fetch(*c, server.url() + "/to-http.png", t0());  // an http redirect is followed
  EXPECT_TRUE(stored(server.url() + "/to-http.png")) << c->last_error(server.url() + "/to-http.png");
  const size_t asked = server.requests().size();
  c->refresh({"file:///etc/passwd", "ftp://127.0.0.1/x.png", "data:image/png;base64,AAAA"}, t0());
  c->wait_idle();
  EXPECT_EQ(server.requests().size(), asked);
  EXPECT_EQ(c->stats().stored, 1u);
}

TEST_F(ImageCacheTest, TheFolderIsCappedLeastRecentlyWantedFirstAndSurvivesARestart) {
  LoopbackHttpServer server([&](const RecordedRequest&) { return Reply{200, {}, red_}; });
  ImageCacheOptions o = options();
  const int64_t one = 64 * 32 * 4 + 20;  // a stored 64x32 picture and its header line
  o.max_total_bytes = 2 * one + 10;
  {
    auto c = cache(o);
    fetch(*c, server.url() + "/1.png", t0());
    fetch(*c, server.url() + "/2.png", t0() + std::chrono::minutes(1));
    c->refresh({server.url() + "/1.png"}, t0() + std::chrono::minutes(2));  // wanted again: recent
    fetch(*c, server.url() + "/3.png", t0() + std::chrono::minutes(3));
    EXPECT_EQ(c->stats().evicted, 1u);
    EXPECT_TRUE(stored(server.url() + "/1.png"));
    EXPECT_FALSE(stored(server.url() + "/2.png"));
    EXPECT_TRUE(stored(server.url() + "/3.png"));
  }
  std::ofstream(dir_ + "/stray.rgba.download") << "half";
  auto again = cache(o);
  EXPECT_EQ(again->stats().stored, 2u);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/stray.rgba.download"));
  fetch(*again, server.url() + "/1.png", t0() + std::chrono::minutes(4));  // recently checked: not asked
  EXPECT_EQ(server.requests().size(), 3u);
}

// The card a screen shows: with the picture cached it is drawn in the right third; without it the
// card is today's text-only card (nothing drawn there, no waiting).
TEST_F(ImageCacheTest, AnEventCardShowsItsCachedPicture) {
  LoopbackHttpServer server([&](const RecordedRequest&) { return Reply{200, {}, red_}; });
  auto c = cache(options());
  const std::string url = server.url() + "/talk.png";
  fetch(*c, url, t0());
  SdlCardRenderer cards(Logger(sink_, "cards"), CardFonts{}, [](const std::string& p) -> Result<RgbaImage> {
    if (p.size() > 5 && p.compare(p.size() - 5, 5, ".rgba") == 0) return read_rgba_file(p);
    return gst_read_image(p);
  });
  Showing s;
  s.kind = ItemKind::kEvents;
  CatalogueEvent e;
  e.title = "Ann Cleeves in conversation";
  e.start = t0() + std::chrono::hours(26);
  e.end = e.start + std::chrono::hours(1);
  e.image = url;
  s.event = e;
  auto draw = [&](const Showing& sh) {
    FramePtr f = cards.render(card_for(sh, t0(), TimeZone::utc(), "", dir_), {1280, 720});
    EXPECT_TRUE(f);
    RgbaImage img;
    img.width = f->width;
    img.height = f->height;
    img.pixels.assign(f->planes[0], f->planes[0] + size_t(f->strides[0]) * f->height);
    return img;
  };
  auto is_red = [](RgbaImage::Pixel p) { return p.r > 200 && p.g < 40 && p.b < 40; };
  RgbaImage with = draw(s);
  // Landscape: the picture box is the right third, the 2:1 picture centred in it.
  const int margin = 720 * 7 / 100, w = (1280 - 2 * margin) / 3;
  const int cx = 1280 - margin - w / 2, cy = margin + w / 2;
  EXPECT_TRUE(is_red(with.at(cx, cy)));
  EXPECT_TRUE(is_red(with.at(cx - w / 2 + 4, cy)));
  int red = 0;
  for (int y = 0; y < with.height; ++y)
    for (int x = 0; x < with.width; ++x) red += is_red(with.at(x, y));
  EXPECT_GT(red, w * w / 2 * 9 / 10);  // the whole 2:1 picture, scaled to the box's width
  s.event->image = server.url() + "/not-cached-yet.png";
  RgbaImage without = draw(s);
  EXPECT_FALSE(is_red(without.at(cx, cy)));
  for (int y = 0; y < without.height; y += 4)
    for (int x = 0; x < without.width; x += 4) ASSERT_FALSE(is_red(without.at(x, y))) << x << "," << y;
}

}  // namespace
}  // namespace branchcast
