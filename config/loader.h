// Loading staff YAML into settings (config/settings.h). The only yaml-cpp user.
//
// Every loader reports all errors it finds at once, compiler style (Error::to_string() gives
// "file:line:col: error: ..."), and returns settings only when there are none: nothing is ever
// partially applied. Loaders read files and stat referenced paths but never modify anything.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/diagnostic.h"
#include "config/settings.h"
#include "config/wall_probe.h"

namespace branchcast {

template <typename T>
struct Loaded {
  std::optional<T> settings;   // set only when errors is empty
  std::vector<Error> errors;   // in file order (severity kError only)
  std::vector<Diagnostic> warnings;     // in file order: said by `validate`, they do not stop a load
  std::vector<Diagnostic> diagnostics;  // errors and warnings together, in file order
  bool ok() const { return errors.empty() && settings.has_value(); }
};

// appliance.yaml and everything it references: each screen's playlist (and its content files),
// file: feeds and the patrons file must exist; content may not escape content_root.
Loaded<ApplianceSettings> load_appliance(const std::string& path);

// One playlist file. `content_root` is absolute; content paths resolve against the playlist's
// folder and must stay under content_root (no "..", no symlinks out). `known_feeds` (if given)
// lets `events`/`before_event` feed ids be checked.
// `branch` (if given) lets `when` be checked against the opening hours (warnings only).
Loaded<PlaylistSettings> load_playlist(const std::string& path, const std::string& content_root,
                                       const std::vector<std::string>* known_feeds = nullptr,
                                       const BranchSettings* branch = nullptr);

// patrons.yaml (formats.md section 5).
Loaded<std::vector<PatronSettings>> load_patrons(const std::string& path);

// Decides by content whether a file is an appliance file (has a top-level `branch` or `screens`
// key), a playlist (has `default` or `rules`) or a patrons list (a sequence), and validates it.
// Used by `branchcast validate FILE...`. Returns errors and warnings (Error::severity) together,
// in file order.
std::vector<Diagnostic> validate_file(const std::string& path);

// validate_file, then (when the file loads) the checks of what would go wrong on the wall
// (config/validate_wall.h): screens whose resolution and rotation come out sideways, and with a
// `probe`, media that is not what its item says or too large to decode smoothly, and text the card
// fonts cannot draw. Those findings that still let the screen play are Severity::kWarning.
std::vector<Diagnostic> validate_file(const std::string& path, WallProbe* probe);

// Checks YAML text as validate_file checks a file with that content at `path` (which need not
// exist; references resolve against its folder). For the fuzzer and tests; reads no file for the
// text itself.
std::vector<Diagnostic> validate_text(std::string_view text, const std::string& path);

// JSON Schema (draft-07) for appliance.yaml, playlists and patrons.yaml, as one document with
// definitions "appliance", "playlist" and "patrons" and a top-level oneOf over them.
std::string json_schema();

}  // namespace branchcast
