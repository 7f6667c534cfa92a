// `validate` checks for what would fail on the wall, beyond the file formats (issue 17 item 5):
// media that is not what its item says or cannot be decoded smoothly, card text in a script the
// card fonts cannot draw, and screens whose resolution and rotation come out sideways.
// Pure over loaded settings and the WallProbe port; each finding is an Error with its place and a
// fix in staff words, Severity::kWarning where the screen still plays.
#pragma once

#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "config/settings.h"
#include "config/wall_probe.h"

namespace YAML {
class Node;
}

namespace branchcast {

// The largest clip a Raspberry Pi decodes smoothly (software decoding, docs/media.md): 1080p at
// 30 frames a second, i.e. this many pixels a second.
constexpr int kSmoothDecodeWidth = 1920;
constexpr int kSmoothDecodeHeight = 1080;
constexpr int kSmoothDecodeFps = 30;
// The player refuses pictures with a side above this (media/gst_player).
constexpr int kMaxDecodeSide = 8192;

// How long the media probe may take to open one file before `validate` reports it unreadable.
// 5 s is plenty on a Pi or a desk machine; the environment variable BRANCHCAST_MEDIA_PROBE_TIMEOUT
// (a duration as parse_duration reads it: "30s", "2m", "1500ms"; 100 ms to 10 min) raises it where
// decoding is slow, e.g. an arm64 `validate` under qemu-user on a loaded build host.
constexpr Duration kDefaultMediaProbeTimeout = std::chrono::seconds(5);
constexpr Duration kMinMediaProbeTimeout = std::chrono::milliseconds(100);
constexpr Duration kMaxMediaProbeTimeout = std::chrono::minutes(10);
inline constexpr const char* kMediaProbeTimeoutVariable = "BRANCHCAST_MEDIA_PROBE_TIMEOUT";
// The limit from that variable's value (`env_value` as getenv returns it: nullptr or "" when unset
// gives the default), or an error naming the variable and what it takes.
Result<Duration> media_probe_timeout(const char* env_value);

// Media items (each distinct file probed once) and text items of one playlist.
std::vector<Error> check_playlist_on_wall(const PlaylistSettings& playlist, WallProbe& probe);

// Screens of an appliance file whose resolution and rotation come out sideways. `root` is the
// parsed appliance.yaml (for the places of the keys), `file` the name messages carry.
std::vector<Error> check_screens_on_wall(const YAML::Node& root, const ApplianceSettings& settings,
                                         const std::string& file);

}  // namespace branchcast
