// The content source URL comes from the provisioning file on the boot partition (outside input):
// parse_content_source_url must never crash, and what it accepts must be well formed: a folder is
// absolute, a transport has a scheme, a URL's `display` never carries userinfo, query or fragment.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "services/content_source_url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool allow : {false, true}) {
    branchcast::ContentSourceUrlOptions o;
    o.allow_plain_http = allow;
    auto u = branchcast::parse_content_source_url(text, o);
    if (!u.ok()) continue;
    using Kind = branchcast::ContentSourceUrl::Kind;
    if (u->kind == Kind::kFolder) {  // a path: '?', '#' and '@' are ordinary characters there
      if (u->folder.empty() || u->folder.front() != '/' || u->display != u->folder) std::abort();
      continue;
    }
    if (u->transport.find("://") == std::string::npos) std::abort();
    if (u->display.find('?') != std::string::npos || u->display.find('#') != std::string::npos) std::abort();
    auto at = u->display.find('@');
    auto scheme = u->display.find("://");
    if (at != std::string::npos && scheme != std::string::npos && at < u->display.find('/', scheme + 3)) std::abort();
    if (u->kind == Kind::kHttp && u->base.find('?') != std::string::npos) std::abort();
  }
  return 0;
}
