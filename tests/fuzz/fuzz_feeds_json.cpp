// JSON feeds: the first byte picks events (LibCal), catalogue, loans or JSON Feed; the rest is the
// document.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/feed_json.h"
#include "feeds/feed_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace branchcast;
  if (size == 0) return 0;
  FeedKind kinds[] = {FeedKind::kJsonEvents, FeedKind::kJsonCatalogue, FeedKind::kJsonLoans,
                      FeedKind::kJsonFeed};
  FeedKind kind = kinds[data[0] % 4];
  FeedParseOptions o;
  o.source = "fuzz.json";
  o.max_bytes = 256 * 1024;
  auto r = parse_feed(kind, std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), o);
  if (r.ok()) {
    FeedJsonZones z;
    (void)feed_json(kind, r->catalogue, z);
  }
  return 0;
}
