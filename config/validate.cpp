// validate_file: tells an appliance file, a playlist and a patrons list apart and checks it.
#include <filesystem>
#include <set>

#include "config/loader.h"
#include "config/loader_internal.h"
#include "config/loader_paths.h"
#include "config/validate_wall.h"

namespace branchcast {
namespace {

constexpr const char* kApplianceKeys[] = {"branch", "content_root", "screens", "feeds", "beacon",
                                          "presence", "notifications", "telemetry", "health"};
constexpr const char* kPlaylistKeys[] = {"transition", "default", "rules"};
constexpr const char* kUnknownKindMessage =
    "cannot tell what kind of file this is: an appliance file has 'branch' and 'screens', a playlist "
    "has 'default' and 'rules', a patrons file is a list of patrons";

// The appliance.yaml that a lone playlist most likely belongs to: in its folder or the one above.
std::optional<std::string> find_appliance_for(const std::string& playlist_abs) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(playlist_abs).parent_path();
  for (int up = 0; up < 2 && !dir.empty(); ++up, dir = dir.parent_path()) {
    std::error_code ec;
    fs::path candidate = dir / "appliance.yaml";
    if (fs::is_regular_file(candidate, ec) && candidate.string() != playlist_abs) return candidate.string();
  }
  return std::nullopt;
}

void append(std::vector<Diagnostic>& to, std::vector<Diagnostic> more) {
  for (auto& e : more) to.push_back(std::move(e));
}

std::vector<Diagnostic> validate_playlist(const std::string& path, WallProbe* probe) {
  std::string abs = absolute_path(path);
  std::string content_root = parent_dir(parent_dir(abs));
  std::vector<std::string> feeds;
  bool know_feeds = false;
  std::optional<BranchSettings> branch;
  if (auto appliance = find_appliance_for(abs)) {
    Diagnostics quiet(*appliance);
    Reader r(quiet, false);
    if (auto root = read_yaml_file(*appliance, quiet); root && classify_document(*root) == DocumentKind::kAppliance) {
      ApplianceRefs refs;
      ApplianceSettings s = parse_appliance(*root, *appliance, r, refs);
      content_root = s.content_root;
      for (const auto& f : s.feeds)
        if (!f.id.empty()) feeds.push_back(f.id);
      know_feeds = true;
      branch = s.branch;
    }
  }
  auto loaded = load_playlist(path, content_root, know_feeds ? &feeds : nullptr, branch ? &*branch : nullptr);
  if (loaded.settings && probe) append(loaded.diagnostics, check_playlist_on_wall(*loaded.settings, *probe));
  return loaded.diagnostics;
}

std::vector<Diagnostic> validate_appliance(const std::string& path, const YAML::Node& root, WallProbe* probe) {
  auto loaded = load_appliance(path);
  if (!loaded.settings) return loaded.diagnostics;
  append(loaded.diagnostics, check_screens_on_wall(root, *loaded.settings, path));
  if (probe) {
    std::set<std::string> done;  // a playlist shared by screens is checked once
    for (const auto& screen : loaded.settings->screens) {
      auto it = loaded.settings->playlists.find(screen.id);
      if (it == loaded.settings->playlists.end() || !done.insert(it->second.path).second) continue;
      append(loaded.diagnostics, check_playlist_on_wall(it->second, *probe));
    }
  }
  return loaded.diagnostics;
}

}  // namespace

DocumentKind classify_document(const YAML::Node& root) {
  if (root.IsSequence()) return DocumentKind::kPatrons;
  if (!root.IsMap()) return DocumentKind::kUnknown;
  int appliance = 0, playlist = 0;
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string& k = it->first.Scalar();
    for (const char* a : kApplianceKeys) appliance += k == a;
    for (const char* p : kPlaylistKeys) playlist += k == p;
  }
  if (appliance > playlist) return DocumentKind::kAppliance;
  if (playlist > appliance) return DocumentKind::kPlaylist;
  return DocumentKind::kUnknown;
}

std::vector<Diagnostic> validate_file(const std::string& path) { return validate_file(path, nullptr); }

std::vector<Diagnostic> validate_file(const std::string& path, WallProbe* probe) {
  Diagnostics diag(path);
  auto root = read_yaml_file(path, diag);
  if (!root) return diag.take();
  switch (classify_document(*root)) {
    case DocumentKind::kAppliance: return validate_appliance(path, *root, probe);
    case DocumentKind::kPlaylist: return validate_playlist(path, probe);
    case DocumentKind::kPatrons: return load_patrons(path).diagnostics;
    case DocumentKind::kUnknown: break;
  }
  diag.add(root->Mark(), kUnknownKindMessage);
  return diag.take();
}

std::vector<Diagnostic> validate_text(std::string_view text, const std::string& path) {
  Diagnostics diag(path);
  auto root = parse_yaml_text(text, diag);
  if (!root) return diag.take();
  std::string abs = absolute_path(path);
  switch (classify_document(*root)) {
    case DocumentKind::kAppliance: {
      Reader r(diag, false);
      ApplianceRefs refs;
      (void)parse_appliance(*root, abs, r, refs);
      break;
    }
    case DocumentKind::kPlaylist: {
      Reader r(diag, false);
      PlaylistContext ctx{parent_dir(abs), nullptr, false, false};
      (void)parse_playlist(*root, abs, ctx, r);
      break;
    }
    case DocumentKind::kPatrons: {
      Reader r(diag, true);
      (void)parse_patrons(*root, r);
      break;
    }
    case DocumentKind::kUnknown:
      diag.add(root->Mark(), kUnknownKindMessage);
      break;
  }
  return diag.take();
}

}  // namespace branchcast
