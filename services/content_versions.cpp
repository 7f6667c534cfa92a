#include "services/content_versions.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include "config/loader.h"
#include "services/content_sync.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

bool inside(const fs::path& root, const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  if (ec) return false;
  auto r = root.string(), s = p.string();
  return s == r || (s.size() > r.size() && s.compare(0, r.size(), r) == 0 && s[r.size()] == '/');
}

std::string first_errors(const std::string& config, const std::vector<Error>& errors) {
  if (errors.empty()) return config + ": cannot be loaded";
  std::string s = errors.front().to_string();
  if (s.rfind(config, 0) != 0 && errors.front().where.file.empty()) s = config + ": " + s;
  if (errors.size() > 1) s += " (and " + std::to_string(errors.size() - 1) + " more)";
  return s;
}

// A YAML double-quoted scalar: no control characters, at most `max` bytes (on a UTF-8 boundary).
std::string yaml_quoted(const std::string& text, size_t max) {
  std::string t = text.substr(0, max);
  while (!t.empty() && (static_cast<unsigned char>(t.back()) & 0xC0) == 0x80) t.pop_back();
  if (!t.empty() && static_cast<unsigned char>(t.back()) >= 0xC0) t.pop_back();
  std::string out = "\"";
  for (char c : t) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<Error> validate_content_version(const std::string& version_dir) {
  std::error_code ec;
  const fs::path root = fs::canonical(version_dir, ec);
  if (ec) return {make_error(version_dir + ": " + ec.message())};
  const fs::path appliance = root / "appliance.yaml";
  if (!fs::exists(appliance, ec)) return {};
  std::vector<Error> errors = validate_file(appliance.string());
  if (!errors.empty()) return errors;
  auto loaded = load_appliance(appliance.string());
  if (!loaded.ok()) return loaded.errors;
  const ApplianceSettings& s = *loaded.settings;
  auto outside = [&](const std::string& what, const std::string& path, SourcePlace where) {
    if (!inside(root, path))
      errors.push_back(make_error(what + " " + path + " is outside the synced version", std::move(where)));
  };
  outside("content_root", s.content_root, {appliance.string()});
  for (const auto& screen : s.screens) outside("playlist", screen.playlist_path, {appliance.string()});
  for (const auto& [id, playlist] : s.playlists) {
    auto check = [&](const std::vector<PlaylistItem>& items) {
      for (const auto& item : items)
        if ((item.kind == ItemKind::kImage || item.kind == ItemKind::kVideo) && !item.resolved.empty())
          outside("content file", item.resolved, item.where);
    };
    check(playlist.default_items);
    for (const auto& rule : playlist.rules) check(rule.items);
  }
  for (const auto& feed : s.feeds)
    if (feed.url.rfind("file:", 0) == 0) outside("feed " + feed.id + " file", feed.url.substr(5), {appliance.string()});
  return errors;
}

Result<std::string> write_fallback_card(const std::string& dir, const std::string& problem) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(dir + ": " + ec.message());
  const fs::path appliance = fs::path(dir) / "appliance.yaml", playlist = fs::path(dir) / "playlist.yaml";
  {
    std::ofstream out(playlist, std::ios::trunc);
    out << "# Written by branchcast run: no valid configuration could be found.\n"
           "default:\n"
           "  - text: \"This screen's configuration is invalid. Staff: run branchcast doctor.\"\n"
           "    duration: 15s\n"
           "  - text: "
        << yaml_quoted(problem, 300) << "\n    duration: 30s\n";
    if (!out.flush()) return make_error(playlist.string() + ": cannot be written");
  }
  {
    std::ofstream out(appliance, std::ios::trunc);
    out << "# Written by branchcast run: the built-in card naming the configuration problem.\n"
           "branch:\n  id: fallback\n  name: Branchcast\n  timezone: UTC\n"
           "screens:\n  - id: main\n    output: auto\n    resolution: 1280x720\n    playlist: playlist.yaml\n";
    if (!out.flush()) return make_error(appliance.string() + ": cannot be written");
  }
  return appliance.string();
}

StartupConfig choose_startup_config(const std::string& config_path, const std::string& state_dir, bool unattended) {
  StartupConfig out{config_path, {}, false};
  auto loaded = load_appliance(config_path);
  if (loaded.ok()) return out;
  std::string problem = first_errors(config_path, loaded.errors);
  out.problems.push_back(problem);

  auto at = locate_in_version(config_path);
  if (!at && !unattended) return out;
  if (at) {
    std::vector<int> numbers;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::path(at->dest_root) / "versions", ec)) {
      const std::string name = e.path().filename().string();
      if (!name.empty() && name.size() < 9 && name.find_first_not_of("0123456789") == std::string::npos)
        numbers.push_back(std::stoi(name));
    }
    std::sort(numbers.begin(), numbers.end(), std::greater<>());
    for (int n : numbers) {
      if (n == at->version) continue;
      const fs::path version = fs::path(at->dest_root) / "versions" / std::to_string(n);
      const std::string candidate = (version / at->relative).string();
      if (!load_appliance(candidate).ok() || !validate_content_version(version.string()).empty()) continue;
      out.config_path = candidate;
      out.problems.push_back("playing the newest valid content version instead: " + candidate);
      return out;
    }
  }

  auto card = write_fallback_card((fs::path(state_dir) / "fallback").string(), problem);
  if (!card) {
    std::string tmpl = (fs::temp_directory_path() / "branchcast-fallback-XXXXXX").string();
    if (::mkdtemp(tmpl.data())) card = write_fallback_card(tmpl, problem);
  }
  if (!card) {
    out.problems.push_back("the built-in card could not be written either: " + card.error().message);
    return out;  // `run` reports the config's errors and exits, as before
  }
  out.config_path = *card;
  out.fallback_card = true;
  out.problems.push_back("no valid configuration: showing the built-in card naming the problem (" + *card + ")");
  return out;
}

}  // namespace branchcast
