// iCalendar parser + recurrence expansion + normalized JSON, with small caps so each input is cheap.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/feed_json.h"
#include "feeds/feed_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace branchcast;
  static const TimeZone kUtc = TimeZone::utc();
  FeedParseOptions o;
  o.source = "fuzz.ics";
  o.window_start = *kUtc.parse_iso("2026-01-01");
  o.window_end = *kUtc.parse_iso("2026-03-01");
  o.max_bytes = 256 * 1024;
  o.max_occurrences_per_event = 50;
  o.max_occurrences = 500;
  auto r = parse_ical(std::string_view(reinterpret_cast<const char*>(data), size), o);
  if (r.ok()) {
    FeedJsonZones z;
    (void)feed_json(FeedKind::kIcal, r->catalogue, z);
  }
  return 0;
}
