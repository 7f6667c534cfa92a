#include "services/health_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace branchcast {
namespace {

double seconds_between(TimePoint a, TimePoint b) {
  return std::chrono::duration<double>(b - a).count();
}

double unix_seconds(TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// Problems of one awake screen, empty when it plays as planned.
std::vector<std::string> screen_problems(const ScreenHealth& sc, TimePoint now,
                                         const HealthThresholds& t) {
  std::vector<std::string> out;
  if (!sc.awake_by_plan) return out;  // off by plan: not an outage
  // A skipped item while the screen shows the previous picture is degraded (a note), not an outage.
  if (sc.error && !sc.last_presented) out.push_back("screen " + sc.id + ": " + *sc.error);
  if (sc.tv_obeyed && !*sc.tv_obeyed) out.push_back("screen " + sc.id + ": the TV did not follow the power schedule");
  if (!sc.last_presented) {
    out.push_back("screen " + sc.id + ": no frame presented yet");
  } else if (now - *sc.last_presented > t.frame_stale) {
    out.push_back("screen " + sc.id + ": no frame presented for " + num(std::floor(seconds_between(*sc.last_presented, now))) + "s");
  }
  return out;
}

bool screen_ok(const ScreenHealth& sc, TimePoint now, const HealthThresholds& t) {
  return screen_problems(sc, now, t).empty();
}

class MetricWriter {
 public:
  void family(const std::string& name, const std::string& type, const std::string& help) {
    os_ << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  }
  void sample(const std::string& name, const std::vector<std::pair<std::string, std::string>>& labels,
              double value) {
    os_ << name;
    if (!labels.empty()) {
      os_ << "{";
      for (size_t i = 0; i < labels.size(); ++i)
        os_ << (i ? "," : "") << labels[i].first << "=\"" << escape_label(labels[i].second) << "\"";
      os_ << "}";
    }
    os_ << " " << num(value) << "\n";
  }
  std::string str() const { return os_.str(); }

 private:
  std::ostringstream os_;
};

// A screen listed twice must not produce duplicate series (invalid exposition) or double
// reasons: the first occurrence of each id counts. Returns `in` itself when there are none.
const HealthSnapshot& first_of_each_screen(const HealthSnapshot& in, HealthSnapshot& storage) {
  std::vector<std::string> ids;
  bool dup = false;
  for (const auto& sc : in.screens) {
    dup = dup || std::find(ids.begin(), ids.end(), sc.id) != ids.end();
    ids.push_back(sc.id);
  }
  if (!dup) return in;
  storage = in;
  storage.screens.clear();
  for (const auto& sc : in.screens) {
    bool seen = false;
    for (const auto& o : storage.screens) seen = seen || o.id == sc.id;
    if (!seen) storage.screens.push_back(sc);
  }
  return storage;
}

}  // namespace

std::string escape_label(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

HttpReply build_healthz(const HealthSnapshot& in, TimePoint now, const HealthThresholds& t) {
  HealthSnapshot storage;
  const HealthSnapshot& s = first_of_each_screen(in, storage);
  std::vector<std::string> problems;
  if (!s.first_frame) problems.push_back("starting: no frame presented yet");
  for (const auto& sc : s.screens)
    for (auto& p : screen_problems(sc, now, t)) problems.push_back(std::move(p));

  std::vector<std::string> notes;
  for (const auto& sc : s.screens) {
    if (!sc.awake_by_plan) notes.push_back("screen " + sc.id + ": off by plan");
    if (!sc.awake_by_plan && sc.tv_obeyed && !*sc.tv_obeyed)
      notes.push_back("screen " + sc.id + ": the TV did not obey the power schedule; a black picture stands in");
    if (sc.awake_by_plan && sc.error && sc.last_presented) notes.push_back("screen " + sc.id + ": degraded: " + *sc.error);
  }
  if (!s.clock_trusted) notes.push_back("clock not synchronised yet: playing the default playlist");
  if (s.config_reload_refused) notes.push_back("last configuration change was invalid: the last good configuration plays");
  if (s.no_display) notes.push_back("no display: running without one (beacon, presence and telemetry go on); looking for one with backoff");
  if (!s.storage_problem.empty()) notes.push_back(s.storage_problem);
  if (!s.config_problem.empty()) notes.push_back("configuration degraded: " + s.config_problem);
  if (s.proof_of_play_pending > 0)
    notes.push_back("state storage degraded: " + std::to_string(s.proof_of_play_pending) +
                    " proof-of-play rows kept in memory until they can be written");

  HttpReply r;
  r.status = problems.empty() ? 200 : 503;
  r.body = problems.empty() ? "ok\n" : "unhealthy\n";
  for (const auto& p : problems) r.body += "reason: " + p + "\n";
  for (const auto& n : notes) r.body += "note: " + n + "\n";
  return r;
}

HttpReply build_metrics(const HealthSnapshot& in, TimePoint now, const HealthThresholds& t) {
  HealthSnapshot storage;
  const HealthSnapshot& s = first_of_each_screen(in, storage);
  MetricWriter m;
  bool healthy = build_healthz(s, now, t).status == 200;
  m.family("branchcast_healthy", "gauge", "1 when every screen plays as planned (as /healthz).");
  m.sample("branchcast_healthy", {}, healthy ? 1 : 0);
  m.family("branchcast_uptime_seconds", "gauge", "Seconds since the daemon started.");
  m.sample("branchcast_uptime_seconds", {}, seconds_between(s.started, now));
  m.family("branchcast_clock_trusted", "gauge", "1 once the system clock has been synchronised since boot.");
  m.sample("branchcast_clock_trusted", {}, s.clock_trusted ? 1 : 0);
  m.family("branchcast_display_attached", "gauge", "0 while running without a display (looked for with backoff).");
  m.sample("branchcast_display_attached", {}, s.no_display ? 0 : 1);
  m.family("branchcast_config_reload_refused", "gauge", "1 when the last configuration change was invalid.");
  m.sample("branchcast_config_reload_refused", {}, s.config_reload_refused ? 1 : 0);

  m.family("branchcast_storage_degraded", "gauge", "1 when the state database was moved aside, is in memory or cannot be written.");
  m.sample("branchcast_storage_degraded", {}, !s.storage_problem.empty() || s.proof_of_play_pending > 0 ? 1 : 0);
  m.family("branchcast_storage_in_memory", "gauge", "1 when the state database runs in memory (nothing kept after this run).");
  m.sample("branchcast_storage_in_memory", {}, s.storage_in_memory ? 1 : 0);
  m.family("branchcast_proof_of_play_pending", "gauge", "Proof-of-play rows kept in memory until they can be written.");
  m.sample("branchcast_proof_of_play_pending", {}, static_cast<double>(s.proof_of_play_pending));
  m.family("branchcast_proof_of_play_dropped_total", "counter", "Proof-of-play rows dropped to bound that memory.");
  m.sample("branchcast_proof_of_play_dropped_total", {}, static_cast<double>(s.proof_of_play_dropped));
  m.family("branchcast_screen_up", "gauge", "1 when the screen plays as planned (off by plan counts as up).");
  for (const auto& sc : s.screens) m.sample("branchcast_screen_up", {{"screen", sc.id}}, screen_ok(sc, now, t) ? 1 : 0);
  m.family("branchcast_screen_awake", "gauge", "1 when the screen is awake by plan (opening hours, power).");
  for (const auto& sc : s.screens) m.sample("branchcast_screen_awake", {{"screen", sc.id}}, sc.awake_by_plan ? 1 : 0);
  m.family("branchcast_screen_item", "gauge", "The item showing now (value always 1).");
  for (const auto& sc : s.screens)
    m.sample("branchcast_screen_item",
             {{"screen", sc.id}, {"mode", sc.mode}, {"rule", sc.rule}, {"kind", sc.kind}, {"item", sc.item}}, 1);
  m.family("branchcast_screen_item_started_timestamp_seconds", "gauge", "Unix time the current item started.");
  for (const auto& sc : s.screens)
    if (sc.item_started) m.sample("branchcast_screen_item_started_timestamp_seconds", {{"screen", sc.id}}, unix_seconds(*sc.item_started));
  m.family("branchcast_screen_frame_age_seconds", "gauge", "Seconds since the last frame was presented.");
  for (const auto& sc : s.screens)
    if (sc.last_presented) m.sample("branchcast_screen_frame_age_seconds", {{"screen", sc.id}}, seconds_between(*sc.last_presented, now));
  m.family("branchcast_transitions_total", "counter", "Item changes since start.");
  for (const auto& sc : s.screens) m.sample("branchcast_transitions_total", {{"screen", sc.id}}, static_cast<double>(sc.transitions));
  m.family("branchcast_transition_gap_seconds", "gauge", "Gap between an item's end and the next item's first frame.");
  for (const auto& sc : s.screens) {
    m.sample("branchcast_transition_gap_seconds", {{"screen", sc.id}, {"stat", "last"}}, sc.last_gap_ms / 1000.0);
    m.sample("branchcast_transition_gap_seconds", {{"screen", sc.id}, {"stat", "max"}}, sc.max_gap_ms / 1000.0);
  }
  m.family("branchcast_screen_degraded", "gauge", "1 while the screen's last item failed and was skipped (cleared by the next item).");
  for (const auto& sc : s.screens) m.sample("branchcast_screen_degraded", {{"screen", sc.id}}, sc.error ? 1 : 0);
  m.family("branchcast_tv_obeyed", "gauge", "HDMI-CEC: 1 when the TV followed the last power command.");
  for (const auto& sc : s.screens)
    if (sc.tv_obeyed) m.sample("branchcast_tv_obeyed", {{"screen", sc.id}}, *sc.tv_obeyed ? 1 : 0);

  if (s.presence) {
    m.family("branchcast_presence_level", "gauge", "Presence level: 0 empty, 1 some, 2 busy.");
    m.sample("branchcast_presence_level", {}, static_cast<double>(static_cast<int>(*s.presence)));
  }
  m.family("branchcast_feed_age_seconds", "gauge", "Seconds since the feed last produced usable data.");
  for (const auto& f : s.feeds)
    if (f.last_success) m.sample("branchcast_feed_age_seconds", {{"feed", f.id}}, seconds_between(*f.last_success, now));
  m.family("branchcast_feed_failing", "gauge", "1 when the feed's last fetch failed.");
  for (const auto& f : s.feeds) m.sample("branchcast_feed_failing", {{"feed", f.id}}, f.last_attempt_failed ? 1 : 0);
  if (s.outbox_depth) {
    m.family("branchcast_outbox_depth", "gauge", "Notifications waiting to be sent.");
    m.sample("branchcast_outbox_depth", {}, static_cast<double>(*s.outbox_depth));
  }
  if (s.telemetry_buffered) {
    m.family("branchcast_telemetry_buffered", "gauge", "Fleet telemetry messages waiting for the MQTT broker.");
    m.sample("branchcast_telemetry_buffered", {}, static_cast<double>(*s.telemetry_buffered));
    m.family("branchcast_telemetry_dropped_total", "counter", "Fleet telemetry messages dropped to bound the buffer.");
    m.sample("branchcast_telemetry_dropped_total", {}, static_cast<double>(s.telemetry_dropped));
  }
  if (s.sensors.cpu_temperature_c) {
    m.family("branchcast_cpu_temperature_celsius", "gauge", "SoC temperature (thermal_zone0).");
    m.sample("branchcast_cpu_temperature_celsius", {}, *s.sensors.cpu_temperature_c);
  }
  if (s.sensors.throttled) {
    static const std::pair<int, const char*> kBits[] = {
        {0, "undervoltage"}, {1, "arm_frequency_capped"}, {2, "throttled"}, {3, "soft_temperature_limit"}};
    uint32_t v = *s.sensors.throttled;
    m.family("branchcast_throttled", "gauge", "Raspberry Pi firmware get_throttled flags, now and since boot.");
    for (auto [bit, name] : kBits) {
      m.sample("branchcast_throttled", {{"condition", name}, {"when", "now"}}, (v >> bit) & 1u);
      m.sample("branchcast_throttled", {{"condition", name}, {"when", "since_boot"}}, (v >> (bit + 16)) & 1u);
    }
  }
  HttpReply r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = m.str();
  return r;
}

HttpReply route_health_request(const std::string& method, const std::string& path,
                               const HealthSnapshot& s, TimePoint now, const HealthThresholds& t) {
  std::string p = path.substr(0, path.find('?'));
  if (p != "/healthz" && p != "/metrics") return {404, "text/plain; charset=utf-8", "not found\n"};
  if (method != "GET" && method != "HEAD") return {405, "text/plain; charset=utf-8", "method not allowed\n"};
  return p == "/healthz" ? build_healthz(s, now, t) : build_metrics(s, now, t);
}

}  // namespace branchcast
