// Proof of play: one item shown on one screen, as the compositor saw it.
//
// ScreenRunner (media/screen_runner.h) makes one when an item's first frame is presented and
// completes `seconds_shown` when the next item's first frame replaces it; PlayLogRepository
// (store/play_log_repository.h) stores it as one "play_log" row; the audience report, fleet
// telemetry and `run`'s exit summary read it.
//
// It carries content references only (file paths as written in the playlist, card ids, the first
// characters of a text item), never anything about patrons or devices.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"

namespace branchcast {

struct PlayRecord {
  std::string screen;
  std::string rule;      // rule name, "default", "standby", "override"
  std::string kind;      // image, video, text, events, recommended, nearby, standby, override
  std::string item;      // simulate's reference column
  TimePoint start{};     // wall time the item's first frame was presented
  double seconds_shown = 0;
  // Time between the previous item's last presented frame and this item's first (milliseconds),
  // measured at the compositor; nullopt for the first item on a screen.
  std::optional<double> gap_ms;
  // How much later than scheduled the first frame was presented (slow preroll), milliseconds.
  double late_ms = 0;
};

// A stored PlayRecord with its row id (telemetry's cursor).
struct PlayLogRow {
  int64_t id = 0;  // increasing in insertion order
  PlayRecord record;
};

}  // namespace branchcast
