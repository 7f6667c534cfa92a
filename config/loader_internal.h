// Internals shared by the loader files: parse functions over an already-parsed YAML document.
// Each adds its errors to the Reader's Diagnostics and returns settings only if it added none.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "config/yaml_reader.h"

namespace branchcast {

struct PlaylistContext {
  std::string content_root;                           // canonical absolute folder
  const std::vector<std::string>* known_feeds = nullptr;  // null: feed ids are not checked
  bool check_nearby = false;                          // check that `nearby` has a topic
  bool has_nearby_topic = false;
  const BranchSettings* branch = nullptr;  // null: checks against opening hours are skipped
};

// `path` is the playlist's absolute path (content resolves against its folder).
std::optional<PlaylistSettings> parse_playlist(const YAML::Node& root, const std::string& path,
                                               const PlaylistContext& ctx, Reader& r);

// The appliance file alone (no playlists loaded). `path` is absolute. Referenced files are checked
// to exist; `playlist_refs` receives each screen's playlist reference as written (by screen index)
// and `patrons_ref` the patrons file reference, for the caller to load with their display names.
struct ApplianceRefs {
  struct Playlist {
    std::string screen_id;  // may be empty when the screen's id was invalid
    std::string ref;        // as written
    std::string path;       // absolute, exists
  };
  std::vector<Playlist> playlists;
  std::optional<std::string> patrons;  // as written (without "file:"), exists
  SourcePlace patrons_place;           // where `notifications.patrons` is given
};
// Returns what it could read even when it added errors (playlists are still checked against it).
ApplianceSettings parse_appliance(const YAML::Node& root, const std::string& path,
                                                 Reader& r, ApplianceRefs& refs);

// beacon, presence, notifications, telemetry and health (loader_services.cpp).
void parse_appliance_services(Reader& r, const Fields& top, ApplianceSettings& s, ApplianceRefs& refs);

std::optional<std::vector<PatronSettings>> parse_patrons(const YAML::Node& root, Reader& r);

// What a document looks like, for validate_file.
enum class DocumentKind { kAppliance, kPlaylist, kPatrons, kUnknown };
DocumentKind classify_document(const YAML::Node& root);

}  // namespace branchcast
