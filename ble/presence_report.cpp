#include "ble/presence_report.h"

#include <algorithm>
#include <array>

namespace branchcast::ble {

std::string reported_count(int devices, int min_reported) {
  if (devices < min_reported) return "<" + std::to_string(min_reported);
  return std::to_string(devices);
}

std::string presence_csv(const std::vector<PresencePeriod>& rows, const TimeZone& zone, int min_reported) {
  std::string out = "start,end,screen,devices\n";
  for (const auto& r : rows) {
    // Screen ids are [a-z0-9-] (validated by the loader): no quoting needed.
    out += zone.format_iso(r.start) + "," + zone.format_iso(r.end) + "," + r.screen + "," +
           reported_count(r.devices, min_reported) + "\n";
  }
  return out;
}

std::string presence_table(const std::vector<PresencePeriod>& rows, const TimeZone& zone, int min_reported) {
  std::vector<std::array<std::string, 4>> cells = {{"start", "end", "screen", "devices"}};
  for (const auto& r : rows) {
    cells.push_back({zone.format_iso(r.start), zone.format_iso(r.end), r.screen, reported_count(r.devices, min_reported)});
  }
  std::array<size_t, 4> width{};
  for (const auto& row : cells)
    for (size_t i = 0; i < 4; ++i) width[i] = std::max(width[i], row[i].size());
  std::string out;
  for (const auto& row : cells) {
    std::string line;
    for (size_t i = 0; i < 4; ++i) {
      std::string cell = row[i];
      if (i == 3) cell = std::string(width[i] - cell.size(), ' ') + cell;  // numbers right-aligned
      else if (i < 3) cell += std::string(width[i] - cell.size(), ' ');
      line += cell;
      if (i < 3) line += "  ";
    }
    out += line + "\n";
  }
  if (rows.empty()) out += "(no presence counts stored in this interval)\n";
  return out;
}

}  // namespace branchcast::ble
