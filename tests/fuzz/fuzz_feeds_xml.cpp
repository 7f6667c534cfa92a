// RSS/Atom parser (libxml2) + HTML stripping + normalized JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/feed_json.h"
#include "feeds/feed_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace branchcast;
  FeedParseOptions o;
  o.source = "fuzz.xml";
  o.base_url = "https://library.example.org/feeds/new.xml";
  o.max_bytes = 256 * 1024;
  // The first byte may pick a transport charset, so the encoding order (BOM, declaration, HTTP,
  // UTF-8, Windows-1252) is exercised with and without one.
  static const char* kCharsets[] = {"", "", "utf-8", "iso-8859-1", "windows-1252", "utf-16", "koi8-r", "bogus"};
  if (size > 0 && data[0] >= 0xF8) {
    o.charset = kCharsets[data[0] - 0xF8];
    ++data;
    --size;
  }
  auto r = parse_xml_feed(std::string_view(reinterpret_cast<const char*>(data), size), o);
  if (r.ok()) {
    FeedJsonZones z;
    (void)feed_json(FeedKind::kRss, r->catalogue, z);
  }
  return 0;
}
