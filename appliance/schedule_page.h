// `branchcast schedule`'s page: a self-contained HTML week view (formats.md section 3). Pure: the
// caller simulates each screen (the same timeline `simulate` prints), renders the thumbnails with
// `preview`'s code and collects `validate`'s messages; this file only turns them into HTML.
//
// The page loads nothing from the network: styles are inline, thumbnails are files beside it
// (relative links), there is no script.
#pragma once

#include <string>
#include <vector>

#include "common/time_zone.h"
#include "scheduler/timeline.h"

namespace branchcast {

// A stretch of time during which one rule (or "default", or standby) is what plays.
struct ScheduleBlock {
  TimePoint start{}, end{};
  std::string rule;     // rule name, "default", "override", or "standby"
  std::string note;     // standby: "power" or "closed: <name>"; otherwise ""
  bool standby = false;
  size_t items = 0;     // item starts within the block
};

// One distinct item of a screen's timeline and its picture (a path relative to the page).
struct ScheduleThumb {
  std::string rule, kind, ref;
  std::string image;    // "" when it could not be rendered
};

struct ScreenSchedule {
  std::string id;
  std::vector<ScheduleBlock> blocks;  // in time order, not overlapping
  std::vector<ScheduleThumb> thumbs;  // in order of first appearance
};

struct SchedulePage {
  std::string branch;                 // the branch's name
  TimeZone zone = TimeZone::utc();
  local_days first{};                 // the first day shown
  int days = 7;
  std::vector<ScreenSchedule> screens;
  std::vector<std::string> messages;  // `validate`'s errors and warnings, one per line
};

// Consecutive entries of the same rule (or standby with the same note) become one block; the last
// one ends at `to` at most.
std::vector<ScheduleBlock> timeline_blocks(const std::vector<TimelineEntry>& timeline, TimePoint to);

// A stable colour per rule name ("#rrggbb"); standby is dark grey.
std::string rule_colour(const std::string& rule, bool standby);

// The whole page (UTF-8, HTML5). Every block is a <div class="block"> positioned by its local
// time within its day's column (split at local midnight), coloured by rule_colour().
std::string render_schedule_html(const SchedulePage& page);

}  // namespace branchcast
