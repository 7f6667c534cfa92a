// Feed pictures before any decoder sees them (media/still_image.h), and how cards name them
// (media/card.h, media/image_cache.h path_for): pure, no GStreamer, no network.
#include "media/still_image.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "media/card.h"
#include "media/image_cache.h"

namespace branchcast {
namespace {

std::string png_header(uint32_t w, uint32_t h) {
  std::string b("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
  for (uint32_t v : {w, h})
    for (int s = 24; s >= 0; s -= 8) b += char((v >> s) & 0xff);
  return b + std::string("\x08\x06\0\0\0", 5);
}

std::string jpeg_header(uint16_t w, uint16_t h) {
  std::string b("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
  b += std::string("\xFF\xC0\x00\x11\x08", 5);
  b += char(h >> 8), b += char(h & 0xff), b += char(w >> 8), b += char(w & 0xff);
  return b + std::string(12, '\x01');
}

TEST(StillImage, MagicBytesAndHeaderSizes) {
  auto p = sniff_still(png_header(640, 480));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->format, "png");
  EXPECT_EQ(p->width, 640);
  EXPECT_EQ(p->height, 480);
  auto j = sniff_still(jpeg_header(1200, 800));
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(j->format, "jpeg");
  EXPECT_EQ(j->width, 1200);
  EXPECT_EQ(j->height, 800);
  auto g = sniff_still(std::string("GIF89a\x10\x00\x20\x00\x00\x00", 12));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->width, 16);
  EXPECT_EQ(g->height, 32);
  // WebP VP8X: canvas 300x200 (minus one, 24-bit little endian).
  std::string webp("RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0", 24);
  webp += std::string("\x2b\x01\x00\xc7\x00\x00", 6);
  auto w = sniff_still(webp);
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->format, "webp");
  EXPECT_EQ(w->width, 300);
  EXPECT_EQ(w->height, 200);
}

TEST(StillImage, NotAPictureOrABombIsRefusedUnread) {
  for (std::string bad : {std::string("<!doctype html><html><body>Not found</body></html>"),
                          std::string("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), std::string(),
                          std::string("\x89PNG\r\n\x1a\n", 8), std::string("\xFF\xD8\xFF", 3),
                          png_header(0, 10), jpeg_header(0, 0)}) {
    EXPECT_FALSE(sniff_still(bad).ok()) << bad;
  }
  // Decompression bombs: a few bytes that claim gigapixels.
  auto bomb = sniff_still(png_header(100000, 100000));
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.error().message, "png of 100000x100000 is larger than pictures may be (8192 a side, 16 megapixels)");
  EXPECT_FALSE(sniff_still(png_header(8000, 8000)).ok());  // each side fits, the area does not
  EXPECT_FALSE(sniff_still(jpeg_header(65000, 65000)).ok());
  EXPECT_TRUE(sniff_still(png_header(4096, 4096)).ok());
  // A JPEG whose segment lengths run off the end never reads past it.
  std::string cut = jpeg_header(10, 10).substr(0, 22);
  EXPECT_FALSE(sniff_still(cut).ok());
}

TEST(StillImage, FitWithinKeepsTheAspectAndAveragesColours) {
  RgbaImage img;
  img.width = 400;
  img.height = 200;
  img.pixels.assign(size_t(400) * 200 * 4, 0);
  for (int y = 0; y < 200; ++y)
    for (int x = 0; x < 400; ++x) {
      uint8_t* p = &img.pixels[(size_t(y) * 400 + x) * 4];
      p[0] = (x % 2) ? 200 : 100, p[3] = 255;
    }
  RgbaImage small = fit_within(img, 100, 100);
  EXPECT_EQ(small.width, 100);
  EXPECT_EQ(small.height, 50);
  EXPECT_EQ(small.at(10, 10).r, 150);
  EXPECT_EQ(fit_within(small, 500, 500).width, 100);  // never enlarged
}

TEST(StillImage, RawFilesRoundTripAndRefuseForeignFiles) {
  const std::string dir = ::testing::TempDir() + "/still_image_test";
  std::filesystem::create_directories(dir);
  RgbaImage img;
  img.width = 3;
  img.height = 2;
  img.pixels.assign(24, 7);
  ASSERT_TRUE(write_rgba_file(img, dir + "/a.rgba").ok());
  auto back = read_rgba_file(dir + "/a.rgba");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->pixels, img.pixels);
  EXPECT_FALSE(read_rgba_file(dir + "/missing.rgba").ok());
  {
    std::FILE* f = std::fopen((dir + "/b.rgba").c_str(), "w");
    std::fputs("BCRGBA1 100000 100000\n", f);
    std::fclose(f);
  }
  EXPECT_FALSE(read_rgba_file(dir + "/b.rgba").ok());
  {
    std::FILE* f = std::fopen((dir + "/c.rgba").c_str(), "w");
    std::fputs("BCRGBA1 10 10\nshort", f);
    std::fclose(f);
  }
  EXPECT_FALSE(read_rgba_file(dir + "/c.rgba").ok());
}

TEST(StillImage, CardsNameAFeedPictureByItsCacheFileAndOnlyWebUrls) {
  CatalogueEvent e;
  e.title = "Ann Cleeves in conversation";
  e.start = TimePoint(std::chrono::hours(24 * 365 * 57));
  e.end = e.start + std::chrono::hours(1);
  e.image = "https://img.example.org/talk.jpg?w=600";
  Showing s;
  s.kind = ItemKind::kEvents;
  s.event = e;
  CardContent c = card_for(s, e.start - std::chrono::hours(2), TimeZone::utc(), "", "/state/images");
  EXPECT_EQ(c.image, ImageCache::path_for("/state/images", e.image));
  EXPECT_TRUE(c.image_optional);
  EXPECT_EQ(c.image.rfind("/state/images/", 0), 0u);
  EXPECT_TRUE(card_for(s, e.start, TimeZone::utc(), "").image.empty());  // no cache: text-only
  for (const char* url : {"file:///etc/passwd", "data:image/png;base64,AAAA", "ftp://x.example/a.png",
                          "javascript:alert(1)", "relative/path.png", "https:///nohost.png"}) {
    s.event->image = url;
    EXPECT_TRUE(card_for(s, e.start, TimeZone::utc(), "", "/state/images").image.empty()) << url;
  }
  s.event->image = "/srv/branch/content/poster.png";  // a local picture stays as it is
  CardContent local = card_for(s, e.start, TimeZone::utc(), "", "/state/images");
  EXPECT_EQ(local.image, "/srv/branch/content/poster.png");
  EXPECT_FALSE(local.image_optional);
  EXPECT_NE(ImageCache::path_for("/d", "https://a.example/1.png"), ImageCache::path_for("/d", "https://a.example/2.png"));
}

TEST(StillImage, CardImageUrlsAreWebOnlyDedupedEventsFirstAndCapped) {
  Catalogue c;
  for (int i = 0; i < 3; ++i) {
    CatalogueEvent e;
    e.start = TimePoint(std::chrono::hours(100 - i));
    e.image = "https://img.example.org/e" + std::to_string(i) + ".jpg";
    c.events.push_back(e);
  }
  CatalogueTitle t;
  t.image = "https://img.example.org/e0.jpg";  // the same picture as an event
  c.titles.push_back(t);
  t.image = "file:///etc/shadow";
  c.titles.push_back(t);
  t.image = "http://covers.example.org/t.png";
  c.titles.push_back(t);
  auto urls = card_image_urls(c);
  ASSERT_EQ(urls.size(), 4u);
  EXPECT_EQ(urls[0], "https://img.example.org/e2.jpg");  // earliest event first
  EXPECT_EQ(urls[3], "http://covers.example.org/t.png");
  EXPECT_EQ(card_image_urls(c, 2).size(), 2u);
}

}  // namespace
}  // namespace branchcast
