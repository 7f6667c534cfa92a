#include "services/audience_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

namespace branchcast {
namespace {

struct Accumulator {
  AudienceRow row;
  double weighted = 0;  // sum of devices * overlapping seconds
  double covered = 0;   // overlapping seconds
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string suppressed(std::optional<double> v, int min_reported, bool decimal) {
  if (!v) return "-";
  if (*v < min_reported) return "<" + std::to_string(min_reported);
  return decimal ? fixed1(*v) : std::to_string(static_cast<int64_t>(*v));
}

std::vector<std::string> cells(const AudienceRow& r, int min_reported) {
  std::optional<double> peak;
  if (r.devices_peak) peak = static_cast<double>(*r.devices_peak);
  return {r.screen, r.item, r.kind, std::to_string(r.plays), fixed1(r.seconds),
          suppressed(r.devices_avg, min_reported, true), suppressed(peak, min_reported, false)};
}

const std::vector<std::string> kHeader = {"screen", "item", "kind", "plays", "seconds", "devices_avg", "devices_peak"};

}  // namespace

std::vector<AudienceRow> audience_report(const std::vector<PlayRecord>& plays,
                                         const std::vector<PresencePeriod>& presence_in) {
  std::vector<PresencePeriod> presence = presence_in;
  std::sort(presence.begin(), presence.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
  Duration longest{0};
  for (const auto& p : presence) longest = std::max(longest, Duration(p.end - p.start));

  std::map<std::tuple<std::string, std::string, std::string>, Accumulator> acc;
  for (const auto& play : plays) {
    auto& a = acc[{play.screen, play.kind, play.item}];
    a.row.screen = play.screen;
    a.row.kind = play.kind;
    a.row.item = play.item;
    a.row.plays += 1;
    a.row.seconds += play.seconds_shown;
    TimePoint s = play.start;
    TimePoint e = s + Duration(static_cast<int64_t>(play.seconds_shown * 1000.0));
    // Only periods starting after s - longest can overlap [s, e).
    auto it = std::lower_bound(presence.begin(), presence.end(), s - longest,
                               [](const PresencePeriod& p, TimePoint t) { return p.start < t; });
    for (; it != presence.end() && it->start < std::max(e, s + Duration(1)); ++it) {
      if (it->screen != play.screen && !it->screen.empty() && it->screen != "*") continue;
      if (it->end <= s) continue;
      TimePoint lo = std::max(s, it->start), hi = std::min(e, it->end);
      double overlap = std::chrono::duration<double>(hi - lo).count();
      a.weighted += static_cast<double>(it->devices) * std::max(overlap, 0.0);
      a.covered += std::max(overlap, 0.0);
      a.row.devices_peak = std::max(a.row.devices_peak.value_or(0), int64_t{it->devices});
    }
  }
  std::vector<AudienceRow> rows;
  for (auto& [key, a] : acc) {
    if (a.covered > 0) a.row.devices_avg = a.weighted / a.covered;
    else if (a.row.devices_peak) a.row.devices_avg = static_cast<double>(*a.row.devices_peak);
    rows.push_back(std::move(a.row));
  }
  std::sort(rows.begin(), rows.end(), [](const AudienceRow& x, const AudienceRow& y) {
    return std::tie(x.screen, y.plays, x.item, x.kind) < std::tie(y.screen, x.plays, y.item, y.kind);
  });
  return rows;
}

std::string format_audience_csv(const std::vector<AudienceRow>& rows, int min_reported) {
  std::string out;
  for (size_t i = 0; i < kHeader.size(); ++i) out += (i ? "," : "") + kHeader[i];
  out += "\n";
  for (const auto& r : rows) {
    auto c = cells(r, min_reported);
    for (size_t i = 0; i < c.size(); ++i) out += (i ? "," : "") + csv_field(c[i]);
    out += "\n";
  }
  return out;
}

std::string format_audience_table(const std::vector<AudienceRow>& rows, int min_reported) {
  std::vector<std::vector<std::string>> table = {kHeader};
  for (const auto& r : rows) table.push_back(cells(r, min_reported));
  std::vector<size_t> width(kHeader.size(), 0);
  for (const auto& line : table)
    for (size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  std::string out;
  for (const auto& line : table) {
    std::string l;
    for (size_t i = 0; i < line.size(); ++i) {
      bool numeric = i >= 3;
      std::string pad(width[i] - line[i].size(), ' ');
      l += (i ? "  " : "") + (numeric ? pad + line[i] : line[i] + (i + 1 < line.size() ? pad : ""));
    }
    out += l + "\n";
  }
  if (rows.empty()) out += "(no proof of play recorded in this period)\n";
  return out;
}

}  // namespace branchcast
