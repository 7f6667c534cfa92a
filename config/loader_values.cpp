#include "config/loader_values.h"

#include <algorithm>
#include <charconv>

#include "common/strings.h"

namespace branchcast {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int day_index(std::string_view s) {
  std::string lower = to_lower(trim(s));
  for (size_t i = 0; i < kDays.size(); ++i)
    if (lower == kDays[i]) return static_cast<int>(i);
  return -1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_uint(std::string_view s, long long& out) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  std::from_chars(s.data(), s.data() + s.size(), out);
  return true;
}

}  // namespace

Result<std::array<bool, 7>> parse_weekdays(std::string_view text) {
  std::array<bool, 7> days{};
  auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    int d = day_index(text);
    if (d < 0)
      return make_error("invalid day '" + std::string(text) + "' (expected mon, tue, wed, thu, fri, sat, sun or a range like mon-fri)");
    days[static_cast<size_t>(d)] = true;
    return days;
  }
  int from = day_index(text.substr(0, dash));
  int to = day_index(text.substr(dash + 1));
  if (from < 0 || to < 0)
    return make_error("invalid day range '" + std::string(text) + "' (expected a range like mon-fri)");
  for (int d = from;; d = (d + 1) % 7) {
    days[static_cast<size_t>(d)] = true;
    if (d == to) break;
  }
  return days;
}

Result<std::pair<int, int>> parse_resolution(std::string_view text) {
  auto x = text.find('x');
  long long w = 0, h = 0;
  if (x == std::string_view::npos || !parse_uint(text.substr(0, x), w) || !parse_uint(text.substr(x + 1), h))
    return make_error("invalid resolution '" + std::string(text) + "' (expected WIDTHxHEIGHT, e.g. 1920x1080)");
  if (w < 16 || h < 16 || w > 16384 || h > 16384)
    return make_error("resolution '" + std::string(text) + "' is out of range (16..16384 pixels a side)");
  return std::pair<int, int>{static_cast<int>(w), static_cast<int>(h)};
}

Result<std::array<uint8_t, 16>> parse_uuid(std::string_view text) {
  std::array<uint8_t, 16> out{};
  static constexpr size_t kDashes[] = {8, 13, 18, 23};
  bool ok = text.size() == 36;
  size_t byte = 0;
  for (size_t i = 0; ok && i < text.size();) {
    if (std::find(std::begin(kDashes), std::end(kDashes), i) != std::end(kDashes)) {
      ok = text[i] == '-';
      ++i;
      continue;
    }
    int hi = hex_value(text[i]), lo = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
    if (hi < 0 || lo < 0) ok = false;
    else out[byte++] = static_cast<uint8_t>(hi * 16 + lo);
    i += 2;
  }
  if (!ok || byte != 16)
    return make_error("invalid uuid '" + std::string(text) +
                      "' (expected 8-4-4-4-12 hex digits, e.g. 2f234454-cf6d-4a0f-adf2-f4911ba9ffa6)");
  return out;
}

Result<std::array<uint8_t, 16>> parse_patron_key(std::string_view text) {
  std::array<uint8_t, 16> out{};
  if (text.size() != 32) return make_error("'key' must be 32 hex digits (16 bytes)");
  for (size_t i = 0; i < 16; ++i) {
    int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return make_error("'key' must be 32 hex digits (16 bytes)");
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return out;
}

Result<DateRange> parse_date_range(std::string_view text) {
  auto dots = text.find("..");
  std::string_view a = text.substr(0, dots);
  std::string_view b = dots == std::string_view::npos ? a : text.substr(dots + 2);
  auto first = parse_date(trim(a));
  if (!first) return first.error();
  auto last = parse_date(trim(b));
  if (!last) return last.error();
  if (sys_days(*last) < sys_days(*first))
    return make_error("date range '" + std::string(text) + "' ends before it starts");
  return DateRange{*first, *last};
}

Status check_listen_address(std::string_view text) {
  auto colon = text.rfind(':');
  Error bad = make_error("invalid listen address '" + std::string(text) +
                         "' (expected HOST:PORT, e.g. 127.0.0.1:8642 or [::1]:8642)");
  if (colon == std::string_view::npos || colon == 0) return bad;
  std::string_view host = text.substr(0, colon);
  long long port = 0;
  if (!parse_uint(text.substr(colon + 1), port) || port < 1 || port > 65535) return bad;
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad;
  } else if (host.find(':') != std::string_view::npos) {
    return bad;  // IPv6 needs brackets
  }
  for (char c : host)
    if (c == ' ' || c == '/' || c == '@') return bad;
  return {};
}

std::string notify_scheme(std::string_view text) {
  auto sep = text.find("://");
  if (sep == std::string_view::npos) return text == "webpush" ? "webpush" : "";
  return to_lower(text.substr(0, sep));
}

Status check_notify_url(std::string_view text, bool allow_webpush) {
  static constexpr std::string_view kSchemes[] = {"ntfy", "ntfys", "gotify", "gotifys", "webhook+https",
                                                  "webhook+http", "fcm", "mailto", "mqtt", "mqtts"};
  std::string scheme = notify_scheme(text);
  if (scheme == "webpush") {
    if (allow_webpush) return {};
    return make_error("'webpush' needs a per-patron subscription; use it in patrons.yaml only");
  }
  if (scheme.empty())
    return make_error("not a notification URL (expected e.g. ntfy://host/topic; see formats.md section 4)");
  if (std::find(std::begin(kSchemes), std::end(kSchemes), scheme) == std::end(kSchemes))
    return make_error("unknown notification scheme '" + scheme.substr(0, 20) +
                      "' (expected ntfy, ntfys, gotify, webhook+https, fcm, webpush, mailto or mqtt)");
  std::string_view rest = text.substr(text.find("://") + 3);
  if (rest.empty() || rest.front() == '/')
    return make_error("notification URL has no host (expected " + scheme + "://host/...)");
  return {};
}

}  // namespace branchcast
