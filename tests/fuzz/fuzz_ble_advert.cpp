// libFuzzer target: the advert codec (split, decode, JSON) and the Eddystone-URL decoder on
// arbitrary bytes, plus hex parsing of the same bytes as text. Round trip: whatever decodes and
// re-encodes must decode to the same JSON.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ble/advert.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace branchcast::ble;
  const ByteView bytes(data, size);
  auto frames = decode_advert(bytes);
  if (frames) {
    const std::string json = frames_to_json(*frames);
    auto split = split_ad_structures(bytes);
    if (!split) std::abort();  // decode succeeded, so splitting must too
    auto again = encode_ad(*split);
    if (!again) std::abort();
    auto redecoded = decode_advert(*again);
    if (!redecoded || frames_to_json(*redecoded) != json) std::abort();
  } else if (frames.error().message.rfind("byte ", 0) != 0) {
    std::abort();  // every decode error names the byte offset
  }
  if (size > 0) (void)decode_eddystone(bytes.subspan(1), 1);
  (void)decode_eddystone_url(bytes);
  (void)parse_hex(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
