// The public loaders (config/loader.h): read files, run the parsers, gather every error.
#include "config/loader.h"

#include <map>

#include "config/loader_internal.h"
#include "config/loader_paths.h"
#include "config/loader_values.h"

namespace branchcast {
namespace {

template <typename T>
Loaded<T> finish(std::optional<T> settings, std::vector<Diagnostic> errors) {
  Loaded<T> out;
  for (const auto& e : errors) {
    if (e.is_warning()) out.warnings.push_back(e);
    else out.errors.push_back(e);
  }
  out.diagnostics = std::move(errors);
  if (out.errors.empty()) out.settings = std::move(settings);
  return out;
}

void append(std::vector<Diagnostic>& to, std::vector<Diagnostic> more) {
  for (auto& e : more) to.push_back(std::move(e));
}

// Loads one playlist; `display` names it in messages, `path` is where it is read from.
std::optional<PlaylistSettings> playlist_at(const std::string& display, const std::string& path,
                                            const PlaylistContext& ctx, std::vector<Diagnostic>& errors) {
  Diagnostics diag(display);
  Reader r(diag, false);
  std::optional<PlaylistSettings> s;
  if (auto root = read_yaml_file(path, diag)) s = parse_playlist(*root, absolute_path(path), ctx, r);
  append(errors, diag.take());
  return s;
}

std::optional<std::vector<PatronSettings>> patrons_at(const std::string& display, const std::string& path,
                                                      std::vector<Diagnostic>& errors) {
  Diagnostics diag(display);
  Reader r(diag, true);
  std::optional<std::vector<PatronSettings>> s;
  if (auto root = read_yaml_file(path, diag)) s = parse_patrons(*root, r);
  append(errors, diag.take());
  return s;
}

}  // namespace

Loaded<ApplianceSettings> load_appliance(const std::string& path) {
  Diagnostics diag(path);
  Reader r(diag, false);
  auto root = read_yaml_file(path, diag);
  if (!root) return finish<ApplianceSettings>(std::nullopt, diag.take());
  ApplianceRefs refs;
  ApplianceSettings s = parse_appliance(*root, absolute_path(path), r, refs);
  std::vector<Diagnostic> errors = diag.take();

  std::vector<std::string> feed_ids;
  for (const auto& f : s.feeds)
    if (!f.id.empty()) feed_ids.push_back(f.id);
  PlaylistContext ctx{s.content_root, &feed_ids, true, s.notifications.nearby_topic.has_value(), &s.branch};
  std::map<std::string, std::optional<PlaylistSettings>> by_path;  // each file is loaded once
  for (const auto& ref : refs.playlists) {
    auto it = by_path.find(ref.path);
    if (it == by_path.end())
      it = by_path.emplace(ref.path, playlist_at(display_join(path, ref.ref), ref.path, ctx, errors)).first;
    if (it->second && !ref.screen_id.empty()) s.playlists[ref.screen_id] = *it->second;
  }
  if (refs.patrons) {
    // Checked for errors only; the patrons' secrets are loaded where they are used.
    auto patrons = patrons_at(display_join(path, *refs.patrons), file_url_path(*s.notifications.patrons), errors);
    bool webpush = false;
    for (const auto& p : patrons.value_or(std::vector<PatronSettings>{}))
      webpush = webpush || notify_scheme(p.notify) == "webpush";
    if (webpush && !s.notifications.vapid)
      errors.push_back(make_diagnostic(make_error(
          "patrons use webpush, which needs notifications.vapid (a VAPID key and subject)", refs.patrons_place)));
  }
  return finish<ApplianceSettings>(std::move(s), std::move(errors));
}

Loaded<PlaylistSettings> load_playlist(const std::string& path, const std::string& content_root,
                                       const std::vector<std::string>* known_feeds,
                                       const BranchSettings* branch) {
  PlaylistContext ctx;
  auto root = canonical_dir(absolute_path(content_root));
  ctx.content_root = root ? *root : absolute_path(content_root);
  ctx.known_feeds = known_feeds;
  ctx.branch = branch;
  std::vector<Diagnostic> errors;
  auto s = playlist_at(path, path, ctx, errors);
  return finish(std::move(s), std::move(errors));
}

Loaded<std::vector<PatronSettings>> load_patrons(const std::string& path) {
  std::vector<Diagnostic> errors;
  auto s = patrons_at(path, path, errors);
  return finish(std::move(s), std::move(errors));
}

}  // namespace branchcast
