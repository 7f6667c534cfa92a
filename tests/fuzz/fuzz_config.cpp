// Feeds arbitrary bytes to the config loader as if they were a staff YAML file. The loader must
// return errors (never crash, hang or overflow the stack) whatever the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // A folder that does not exist: references are looked up (and fail) without touching real files.
  auto errors = branchcast::validate_text(text, "/nonexistent-branchcast-fuzz/appliance.yaml");
  for (const auto& e : errors) (void)e.to_string();
  return 0;
}
