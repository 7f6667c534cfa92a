// Every notify parser of outside input: the first byte picks the parser, the rest is the input.
//   0: Web Push PushSubscription JSON      1: FCM service-account JSON
//   2: OAuth token answer (status 200)     3: Retry-After value
//   4: provider URL (with ${VAR} and file: secrets from fixed fakes)
//   5: a provider's HTTP answer (status from the next byte) through interpret_http
// Each must return a value or an error naming its source: never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "notify/backoff.h"
#include "notify/fcm.h"
#include "notify/message.h"
#include "notify/provider_url.h"
#include "notify/webpush.h"

using namespace branchcast;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  TimePoint now = TimePoint(std::chrono::seconds(1772442000));
  switch (data[0] % 6) {
    case 0: {
      auto r = parse_push_subscription(input, "sub.json");
      if (!r.ok() && r.error().message.rfind("sub.json: ", 0) != 0) __builtin_trap();
      break;
    }
    case 1: {
      auto r = parse_service_account(input, "sa.json");
      if (!r.ok() && r.error().message.rfind("sa.json: ", 0) != 0) __builtin_trap();
      break;
    }
    case 2: {
      HttpResponse resp;
      resp.status = 200;
      resp.body = input;
      auto r = parse_token_response(resp, now, "fcm token");
      if (!r.ok() && r.error().message.rfind("fcm token: ", 0) != 0) __builtin_trap();
      break;
    }
    case 3: {
      auto d = parse_retry_after(input, now);
      if (d && d->count() < 0) __builtin_trap();
      break;
    }
    case 4: {
      SecretSource s;
      s.env = [](const std::string& name) -> std::optional<std::string> {
        if (name.size() % 2) return std::nullopt;
        return "secret-" + name;
      };
      s.read_file = [](const std::string& path) -> Result<std::string> {
        if (path.empty()) return make_error("no");
        return std::string("whsec_c2VjcmV0");
      };
      auto t = parse_provider_url(input, s);
      if (t.ok()) (void)scrub(input, t->secrets);
      break;
    }
    case 5: {
      if (input.empty()) break;
      HttpResponse resp;
      resp.status = 100 + static_cast<unsigned char>(input[0]) * 2;
      resp.headers["retry-after"] = input.substr(1, 40);
      resp.body = input.size() > 41 ? input.substr(41) : "";
      auto r = interpret_http(resp, now, {"secret-value"});
      if (r.detail.find("secret-value") != std::string::npos) __builtin_trap();
      break;
    }
  }
  return 0;
}
