// Content-sync manifests come from a USB stick or a download: parse_manifest must never crash,
// and every path it accepts must be relative and free of "..".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "services/content_sync.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = branchcast::parse_manifest(std::string_view(reinterpret_cast<const char*>(data), size));
  if (m.ok()) {
    for (const auto& e : *m) {
      if (e.path.empty() || e.path.front() == '/' || e.sha256.size() != 64) std::abort();
      if (e.path == ".." || e.path.rfind("../", 0) == 0 || e.path.find("/../") != std::string::npos) std::abort();
    }
  }
  return 0;
}
