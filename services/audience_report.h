// The audience report (pure): proof of play joined with presence counts, aggregates only.
//
// For each (screen, kind, item): how often it played, for how long, and how many devices were
// near while it did: the time-weighted mean of the presence counts of the periods its plays
// overlap ("devices_avg", one decimal) and the largest of them ("devices_peak"). A presence
// period counts for a play when it covers part of it and is for the same screen or for the whole
// appliance (screen "" or "*"). Counts below min_reported print as "<N" (N = min_reported), as
// `presence report` does; "-" when no presence data covers the plays.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/presence_period.h"
#include "common/play_record.h"

namespace branchcast {

struct AudienceRow {
  std::string screen;
  std::string kind;
  std::string item;
  int plays = 0;
  double seconds = 0;
  std::optional<double> devices_avg;   // unset: no presence data covered the plays
  std::optional<int64_t> devices_peak;
};

// Rows sorted by screen, then by plays (most first), then item.
std::vector<AudienceRow> audience_report(const std::vector<PlayRecord>& plays,
                                         const std::vector<PresencePeriod>& presence);

// "screen,item,kind,plays,seconds,devices_avg,devices_peak" and one line per row (RFC 4180
// quoting), with min_reported suppression.
std::string format_audience_csv(const std::vector<AudienceRow>& rows, int min_reported);
// The same as an aligned text table for people.
std::string format_audience_table(const std::vector<AudienceRow>& rows, int min_reported);

}  // namespace branchcast
