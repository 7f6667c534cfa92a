#include "services/telemetry.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

#include "common/time_zone.h"

namespace branchcast {
namespace {

using nlohmann::json;

std::string iso(TimePoint t) { return TimeZone::utc().format_iso(t); }

double seconds_between(TimePoint a, TimePoint b) { return std::chrono::duration<double>(b - a).count(); }

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A count, or "<N" when below the reporting threshold.
json suppressed(int64_t value, int min_reported) {
  if (value < min_reported) return "<" + std::to_string(min_reported);
  return value;
}

json optional_time(const std::optional<TimePoint>& t) { return t ? json(iso(*t)) : json(nullptr); }

json screen_json(const ScreenHealth& sc, TimePoint now) {
  json j = {{"screen", sc.id},
            {"awake", sc.awake_by_plan},
            {"mode", sc.mode},
            {"rule", redact_addresses(sc.rule)},
            {"kind", sc.kind},
            {"item", redact_addresses(sc.item)},
            {"item_started", optional_time(sc.item_started)},
            {"transitions", sc.transitions},
            {"last_gap_ms", round3(sc.last_gap_ms)},
            {"max_gap_ms", round3(sc.max_gap_ms)},
            {"error", sc.error ? json(redact_addresses(*sc.error)) : json(nullptr)}};
  j["frame_age_s"] = sc.last_presented ? json(round3(seconds_between(*sc.last_presented, now))) : json(nullptr);
  if (sc.tv_obeyed) j["tv_obeyed"] = *sc.tv_obeyed;
  return j;
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Length of a MAC-shaped run starting at text[i] (17), or 0.
size_t mac_at(const std::string& text, size_t i) {
  if (i + 17 > text.size()) return 0;
  char sep = text[i + 2];
  if (sep != ':' && sep != '-') return 0;
  for (size_t g = 0; g < 6; ++g) {
    size_t p = i + g * 3;
    if (!is_hex(text[p]) || !is_hex(text[p + 1])) return 0;
    if (g < 5 && text[p + 2] != sep) return 0;
  }
  if (i > 0 && (is_hex(text[i - 1]) || text[i - 1] == sep)) return 0;  // inside a longer run: not an address
  if (i + 17 < text.size() && (is_hex(text[i + 17]) || text[i + 17] == sep)) return 0;
  return 17;
}

}  // namespace

std::string telemetry_topic(std::string_view base, std::string_view branch, std::string_view kind) {
  std::string level(branch.empty() ? std::string_view("unnamed") : branch);
  for (char& c : level)
    if (c == '/' || c == '+' || c == '#') c = '_';
  return std::string(base) + "/" + level + "/" + std::string(kind);
}

std::string redact_addresses(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (size_t n = mac_at(text, i)) {
      out += "[redacted]";
      i += n;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string heartbeat_payload(const TelemetryIdentity& id, const HealthSnapshot& health,
                              const TelemetryBufferStatus& buffer, TimePoint now) {
  json screens = json::array();
  for (const auto& sc : health.screens) screens.push_back(screen_json(sc, now));
  json feeds = json::array();
  for (const auto& f : health.feeds)
    feeds.push_back({{"feed", f.id},
                     {"age_s", f.last_success ? json(round3(seconds_between(*f.last_success, now))) : json(nullptr)},
                     {"failing", f.last_attempt_failed}});
  json j = {{"branch", id.branch},
            {"version", id.version},
            {"at", iso(now)},
            {"uptime_s", std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(now - health.started).count())},
            {"healthy", build_healthz(health, now).status == 200},
            {"clock_trusted", health.clock_trusted},
            {"screens", screens},
            {"presence", health.presence ? json(to_string(*health.presence)) : json(nullptr)},
            {"feeds", feeds},
            {"outbox_depth", health.outbox_depth ? json(*health.outbox_depth) : json(nullptr)},
            {"buffer", {{"depth", buffer.depth}, {"dropped", buffer.dropped_total}}}};
  if (health.sensors.cpu_temperature_c) j["cpu_temperature_c"] = round3(*health.sensors.cpu_temperature_c);
  if (health.sensors.throttled) j["throttled"] = *health.sensors.throttled;
  return dump(j);
}

std::string play_payload(const TelemetryIdentity& id, const std::vector<PlayLogRow>& rows) {
  json plays = json::array();
  for (const auto& row : rows) {
    const PlayRecord& r = row.record;
    plays.push_back({{"screen", r.screen},
                     {"rule", redact_addresses(r.rule)},
                     {"kind", r.kind},
                     {"item", redact_addresses(r.item)},
                     {"start", iso(r.start)},
                     {"seconds", round3(r.seconds_shown)},
                     {"gap_ms", r.gap_ms ? json(round3(*r.gap_ms)) : json(nullptr)},
                     {"late_ms", round3(r.late_ms)}});
  }
  return dump({{"branch", id.branch}, {"plays", plays}});
}

std::vector<std::string> presence_payloads(const TelemetryIdentity& id, const std::vector<PresencePeriod>& rows) {
  std::vector<std::string> out;
  for (size_t i = 0; i < rows.size();) {
    size_t j = i;
    json screens = json::array();
    TimePoint end = rows[i].end;
    for (; j < rows.size() && rows[j].start == rows[i].start; ++j) {
      end = std::max(end, rows[j].end);
      screens.push_back({{"screen", rows[j].screen},
                         {"devices", suppressed(rows[j].devices, id.min_reported)},
                         {"peak", suppressed(rows[j].peak, id.min_reported)},
                         {"samples", rows[j].samples}});
    }
    out.push_back(dump({{"branch", id.branch},
                        {"start", iso(rows[i].start)},
                        {"end", iso(end)},
                        {"min_reported", id.min_reported},
                        {"screens", screens}}));
    i = j;
  }
  return out;
}

std::string with_sequence(const std::string& payload, int64_t seq) {
  std::string head = "{\"seq\":" + std::to_string(seq);
  if (payload.size() < 2 || payload.front() != '{') return head + "}";
  std::string_view rest = std::string_view(payload).substr(1);
  return head + (rest.front() == '}' ? "" : ",") + std::string(rest);
}

void TelemetrySchedule::published(bool delivered_all, TimePoint now, double unit) {
  in_flight_ = false;
  if (delivered_all) {
    failures_ = 0;
    next_publish_ = now;
    return;
  }
  Duration wait = std::max(min_retry_, full_jitter_delay(backoff_, failures_, unit));
  ++failures_;
  next_publish_ = now + wait;
}

TimePoint TelemetrySchedule::next_deadline(int64_t depth) const {
  TimePoint t = next_collect_;
  if (!in_flight_ && depth > 0) t = std::min(t, next_publish_);
  return t;
}

}  // namespace branchcast
