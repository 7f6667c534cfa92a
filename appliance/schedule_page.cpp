#include "appliance/schedule_page.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace branchcast {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// The columns of simulate's line for an entry: start, rule, kind, ref, length.
std::vector<std::string> columns(const TimelineEntry& e) {
  std::vector<std::string> out;
  std::stringstream ss(format_timeline_line(e, TimeZone::utc()));
  for (std::string f; std::getline(ss, f, '\t');) out.push_back(f);
  return out;
}

std::string hhmm(Duration since_midnight) {
  const long minutes = static_cast<long>(since_midnight.count() / 60'000);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld", minutes / 60 % 100, minutes % 60);
  return buf;
}

std::string day_name(local_days d) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const std::chrono::year_month_day ymd{d};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %04d-%02u-%02u", kDays[std::chrono::weekday{d}.c_encoding()],
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 16px; color: #222; background: #fafafa; }
h1 { font-size: 20px; } h2 { font-size: 17px; margin-top: 28px; }
.week { display: flex; align-items: flex-start; }
.axis { width: 44px; position: relative; height: 720px; margin-top: 22px; font-size: 10px; color: #666; }
.axis span { position: absolute; right: 4px; transform: translateY(-50%); }
.day { flex: 1; margin-left: 2px; min-width: 80px; }
.day h3 { font-size: 11px; height: 22px; margin: 0; text-align: center; line-height: 22px; }
.col { position: relative; height: 720px; background: #fff; border: 1px solid #ddd; }
.block { position: absolute; left: 0; right: 0; overflow: hidden; font-size: 10px; line-height: 12px;
         color: #fff; border-bottom: 1px solid rgba(255,255,255,0.6); box-sizing: border-box; padding: 0 2px; }
.block.standby { color: #ddd; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 12px; }
.rule { border: 1px solid #ddd; background: #fff; padding: 6px; max-width: 100%; }
.rule .swatch { display: inline-block; width: 12px; height: 12px; vertical-align: middle; margin-right: 4px; }
.thumbs { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; }
.thumb { width: 160px; font-size: 10px; word-break: break-all; }
.thumb img { width: 160px; display: block; border: 1px solid #ccc; }
.messages { font-family: monospace; font-size: 12px; white-space: pre-wrap; background: #fff3cd;
            border: 1px solid #e0c36c; padding: 8px; }
)";

}  // namespace

std::vector<ScheduleBlock> timeline_blocks(const std::vector<TimelineEntry>& timeline, TimePoint to) {
  std::vector<ScheduleBlock> out;
  for (const TimelineEntry& e : timeline) {
    const Showing& s = e.showing;
    ScheduleBlock b;
    b.start = s.start;
    b.end = std::min(to, s.start + e.shown);
    b.standby = s.mode == ShowingMode::kStandby;
    b.rule = b.standby ? "standby" : s.mode == ShowingMode::kOverride ? "override" : s.rule;
    if (b.standby) {
      auto cols = columns(e);
      b.note = cols.size() >= 4 && cols[3] != "-" ? cols[3] : cols.size() >= 3 ? cols[2] : "power";
    }
    b.items = 1;
    if (b.end <= b.start) continue;
    if (!out.empty() && out.back().rule == b.rule && out.back().note == b.note && out.back().end >= b.start) {
      out.back().end = std::max(out.back().end, b.end);
      out.back().items += 1;
      continue;
    }
    out.push_back(std::move(b));
  }
  return out;
}

std::string rule_colour(const std::string& rule, bool standby) {
  if (standby) return "#3c3c3c";
  // FNV-1a of the name picks a hue; saturation and lightness keep white text readable.
  uint32_t h = 2166136261u;
  for (unsigned char c : rule) h = (h ^ c) * 16777619u;
  const double hue = (h % 360) / 60.0, s = 0.55, l = 0.42;
  const double c = (1 - std::abs(2 * l - 1)) * s, x = c * (1 - std::abs(std::fmod(hue, 2.0) - 1)), m = l - c / 2;
  double r = 0, g = 0, b = 0;
  switch (static_cast<int>(hue)) {
    case 0: r = c, g = x; break;
    case 1: r = x, g = c; break;
    case 2: g = c, b = x; break;
    case 3: g = x, b = c; break;
    case 4: r = x, b = c; break;
    default: r = c, b = x; break;
  }
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>((r + m) * 255 + 0.5),
                static_cast<int>((g + m) * 255 + 0.5), static_cast<int>((b + m) * 255 + 0.5));
  return buf;
}

std::string render_schedule_html(const SchedulePage& page) {
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<link rel=\"icon\" href=\"data:,\">\n<title>"
    << escape(page.branch) << ": schedule</title>\n<style>" << kStyle << "</style></head>\n<body>\n";
  h << "<h1>" << escape(page.branch) << ": what plays, " << escape(day_name(page.first)) << " to "
    << escape(day_name(page.first + std::chrono::days(page.days - 1))) << " (" << escape(page.zone.name())
    << ")</h1>\n";
  if (!page.messages.empty()) {
    h << "<h2>Validation</h2>\n<div class=\"messages\">";
    for (const auto& m : page.messages) h << escape(m) << "\n";
    h << "</div>\n";
  }
  for (const ScreenSchedule& screen : page.screens) {
    h << "<section class=\"screen\" id=\"screen-" << escape(screen.id) << "\">\n<h2>Screen "
      << escape(screen.id) << "</h2>\n<div class=\"week\">\n<div class=\"axis\">";
    for (int hour = 0; hour <= 24; hour += 2)
      h << "<span style=\"top:" << hour * 30 << "px\">" << (hour < 10 ? "0" : "") << hour << ":00</span>";
    h << "</div>\n";
    for (int d = 0; d < page.days; ++d) {
      const local_days day = page.first + std::chrono::days(d);
      const TimePoint day_start = page.zone.from_local(day, Duration(0));
      const TimePoint day_end = page.zone.from_local(day + std::chrono::days(1), Duration(0));
      const double day_ms = static_cast<double>((day_end - day_start).count());
      h << "<div class=\"day\"><h3>" << escape(day_name(day)) << "</h3><div class=\"col\">";
      for (const ScheduleBlock& b : screen.blocks) {
        if (b.end <= day_start || b.start >= day_end) continue;
        const TimePoint s = std::max(b.start, day_start), e = std::min(b.end, day_end);
        const double top = 100.0 * static_cast<double>((s - day_start).count()) / day_ms;
        const double height = 100.0 * static_cast<double>((e - s).count()) / day_ms;
        const std::string label = b.standby ? "standby (" + b.note + ")" : b.rule;
        const std::string when = hhmm(page.zone.to_local(s).since_midnight) + "-" +
                                 (e == day_end ? std::string("24:00") : hhmm(page.zone.to_local(e).since_midnight));
        char geometry[96];
        std::snprintf(geometry, sizeof geometry, "top:%.4f%%;height:%.4f%%;", top, height);
        h << "<div class=\"block" << (b.standby ? " standby" : "") << "\" style=\"" << geometry
          << "background:" << rule_colour(b.rule, b.standby) << "\" title=\"" << escape(when + " " + label) << "\">";
        if (height > 2.5) h << escape(when + " " + label);
        h << "</div>";
      }
      h << "</div></div>\n";
    }
    h << "</div>\n<div class=\"legend\">\n";
    std::vector<std::string> rules;
    for (const auto& b : screen.blocks)
      if (std::find(rules.begin(), rules.end(), b.rule) == rules.end()) rules.push_back(b.rule);
    for (const auto& rule : rules) {
      const bool standby = rule == "standby";
      h << "<div class=\"rule\"><span class=\"swatch\" style=\"background:" << rule_colour(rule, standby)
        << "\"></span><b>" << escape(rule) << "</b>";
      h << "<div class=\"thumbs\">";
      for (const auto& t : screen.thumbs) {
        if (t.rule != rule) continue;
        h << "<div class=\"thumb\">";
        if (!t.image.empty())
          h << "<img src=\"" << escape(t.image) << "\" alt=\"" << escape(t.kind + " " + t.ref) << "\">";
        h << escape(t.kind) << ": " << escape(t.ref) << "</div>";
      }
      h << "</div></div>\n";
    }
    h << "</div>\n</section>\n";
  }
  h << "</body></html>\n";
  return h.str();
}

}  // namespace branchcast
