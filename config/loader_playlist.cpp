// Playlists (formats.md section 2) -> PlaylistSettings.
#include <map>

#include "config/loader_internal.h"
#include "config/loader_paths.h"
#include "config/loader_values.h"

namespace branchcast {
namespace {

constexpr const char* kKinds[] = {"image", "video", "text", "events", "recommended", "nearby"};
constexpr ItemKind kKindValues[] = {ItemKind::kImage,  ItemKind::kVideo,       ItemKind::kText,
                                    ItemKind::kEvents, ItemKind::kRecommended, ItemKind::kNearby};

struct PlaylistParser {
  Reader& r;
  std::string dir;  // the playlist's folder, absolute
  const PlaylistContext& ctx;

  SourcePlace place(const YAML::Node& n) const {
    YAML::Mark m = n.Mark();
    return m.is_null() ? SourcePlace{r.diag().file(), 0, 0}
                       : SourcePlace{r.diag().file(), m.line + 1, m.column + 1};
  }

  void check_feed(const YAML::Node& n, const std::string& feed) {
    if (!ctx.known_feeds) return;
    for (const auto& f : *ctx.known_feeds)
      if (f == feed) return;
    std::string list;
    for (const auto& f : *ctx.known_feeds) list += (list.empty() ? "" : ", ") + f;
    r.error(n, "unknown feed '" + feed + "'" + (list.empty() ? " (appliance.yaml defines no feeds)" : " (feeds: " + list + ")"));
  }

  std::optional<std::vector<std::string>> tags(const Fields& f) {
    if (!f.has("tags")) return std::vector<std::string>{};
    return r.text_list(f.get("tags"), "tags");
  }

  void parse_events(const YAML::Node& n, EventsQuery& q) {
    Fields f(r, n, {"feed", "tags", "next", "within"}, "events");
    if (!f.valid()) return;
    if (f.require("feed")) {
      YAML::Node fn = f.get("feed");
      if (auto v = r.identifier(fn, "feed")) q.feed = *v, check_feed(fn, *v);
    }
    if (auto t = tags(f)) q.tags = *t;
    if (f.has("next"))
      if (auto v = r.integer(f.get("next"), "next", 1, 100)) q.next = static_cast<int>(*v);
    if (f.has("within")) q.within = r.duration(f.get("within"), "within", Duration(60'000));
  }

  void parse_recommended(const YAML::Node& n, RecommendedQuery& q) {
    Fields f(r, n, {"count", "kinds"}, "recommended");
    if (!f.valid()) return;
    if (f.has("count"))
      if (auto v = r.integer(f.get("count"), "count", 1, 50)) q.count = static_cast<int>(*v);
    if (f.has("kinds"))
      if (auto v = r.text_list(f.get("kinds"), "kinds")) q.kinds = *v;
  }

  void parse_content(const YAML::Node& n, const char* kind, PlaylistItem& item) {
    auto ref = r.text(n, kind);
    if (!ref) return;
    item.path = *ref;
    auto resolved = resolve_content(dir, *ref, ctx.content_root);
    if (resolved) item.resolved = *resolved;
    else r.error(n, std::string(kind) + " " + resolved.error().message);
  }

  std::optional<PlaylistItem> item(const YAML::Node& n) {
    PlaylistItem item;
    item.where = place(n);
    if (!n.IsMap()) {
      r.error(n, "an item must be a map such as 'image: content/welcome.png'");
      return std::nullopt;
    }
    Fields f(r, n, {"image", "video", "text", "events", "recommended", "nearby", "duration", "mute"}, "item");
    std::vector<size_t> kinds;
    for (size_t k = 0; k < std::size(kKinds); ++k)
      if (f.contains(kKinds[k])) kinds.push_back(k);
    if (kinds.empty()) {
      if (f.unknown_keys() == 0)
        r.error(n, "item has no kind (give one of image, video, text, events, recommended, nearby)");
      return std::nullopt;
    }
    if (kinds.size() > 1) {
      r.error(n, std::string("item has several kinds ('") + kKinds[kinds[0]] + "' and '" + kKinds[kinds[1]] +
                     "'); give exactly one per item");
      return std::nullopt;
    }
    const char* kind = kKinds[kinds[0]];
    item.kind = kKindValues[kinds[0]];
    YAML::Node v = f.get(kind);
    switch (item.kind) {
      case ItemKind::kImage:
      case ItemKind::kVideo: parse_content(v, kind, item); break;
      case ItemKind::kText:
        if (auto t = r.text(v, "text")) item.text = *t;
        break;
      case ItemKind::kEvents: parse_events(v, item.events); break;
      case ItemKind::kRecommended: parse_recommended(v, item.recommended); break;
      case ItemKind::kNearby:
        if (!v.IsNull() && !(v.IsMap() && v.size() == 0) && !(v.IsScalar() && v.Scalar() == "true"))
          r.error(v, "'nearby' takes no settings (write 'nearby: {}')");
        if (ctx.check_nearby && !ctx.has_nearby_topic)
          r.error(v, "a 'nearby' item needs notifications.nearby_topic in appliance.yaml");
        break;
    }
    if (f.has("duration")) item.duration = r.duration(f.get("duration"), "duration", Duration(100));
    if (f.has("mute")) {
      YAML::Node m = f.get("mute");
      if (item.kind != ItemKind::kVideo) r.error(m, "'mute' applies to video items only");
      else if (auto b = r.boolean(m, "mute")) item.mute = *b;
    }
    return item;
  }

  std::vector<PlaylistItem> items(const YAML::Node& n, const char* name) {
    std::vector<PlaylistItem> out;
    if (!r.expect_seq(n, name)) return out;
    if (n.size() == 0) r.error(n, std::string("'") + name + "' is empty (it must list at least one item)");
    for (const auto& e : n) {
      if (!r.visit(e)) break;
      if (auto it = item(e)) out.push_back(std::move(*it));
    }
    return out;
  }

  void when(const YAML::Node& n, WhenCondition& w) {
    Fields f(r, n, {"days", "time", "dates", "before_event", "presence"}, "when");
    if (!f.valid()) return;
    if (f.has("days")) {
      YAML::Node d = f.get("days");
      std::array<bool, 7> days{};
      bool ok = true;
      auto add = [&](const YAML::Node& spec) {
        auto s = r.text(spec, "days");
        auto one = s ? parse_weekdays(*s) : Result<std::array<bool, 7>>(make_error(""));
        if (!one) {
          if (s) r.error(spec, one.error().message);
          ok = false;
          return;
        }
        for (size_t i = 0; i < 7; ++i) days[i] = days[i] || (*one)[i];
      };
      if (d.IsSequence()) {
        if (d.size() == 0) r.error(d, "'days' is empty (omit it for every day)"), ok = false;
        for (const auto& e : d)
          if (r.visit(e)) add(e);
      } else {
        add(d);
      }
      if (ok) w.days = days;
    }
    if (f.has("time")) w.time = r.time_window(f.get("time"), "time");
    if (f.has("dates")) {
      YAML::Node d = f.get("dates");
      if (auto s = r.text(d, "dates")) {
        auto range = parse_date_range(*s);
        if (range) w.dates = *range;
        else r.error(d, "'dates': " + range.error().message);
      }
    }
    if (f.has("before_event")) {
      Fields b(r, f.get("before_event"), {"feed", "tags", "lead"}, "before_event");
      if (b.valid()) {
        BeforeEventCondition c;
        if (b.require("feed")) {
          YAML::Node fn = b.get("feed");
          if (auto v = r.identifier(fn, "feed")) c.feed = *v, check_feed(fn, *v);
        }
        if (auto t = tags(b)) c.tags = *t;
        if (b.require("lead"))
          if (auto v = r.duration(b.get("lead"), "lead", Duration(60'000))) c.lead = *v;
        w.before_event = c;
      }
    }
    if (f.has("presence"))
      w.presence = r.choice<PresenceLevel>(f.get("presence"), "presence",
                                           {{"empty", PresenceLevel::kEmpty}, {"some", PresenceLevel::kSome},
                                            {"busy", PresenceLevel::kBusy}});
  }

  void rules(const YAML::Node& n, std::vector<PlaylistRule>& out) {
    if (!r.expect_seq(n, "rules")) return;
    std::map<std::string, int> names;  // name -> line
    for (const auto& e : n) {
      if (!r.visit(e)) return;
      PlaylistRule rule;
      rule.where = place(e);
      Fields f(r, e, {"name", "priority", "interrupt", "when", "items"}, "rule");
      if (!f.valid()) continue;
      if (f.require("name")) {
        YAML::Node nn = f.get("name");
        if (auto v = r.text(nn, "name")) {
          rule.name = *v;
          auto [it, fresh] = names.emplace(*v, nn.Mark().line + 1);
          if (*v == "default") r.error(nn, "rule name 'default' is reserved for the default list");
          else if (!fresh)
            r.error(nn, "duplicate rule name '" + *v + "' (first at line " + std::to_string(it->second) + ")");
        }
      }
      if (f.has("priority"))
        if (auto v = r.integer(f.get("priority"), "priority", -1'000'000, 1'000'000)) rule.priority = static_cast<int>(*v);
      if (f.has("interrupt"))
        if (auto v = r.boolean(f.get("interrupt"), "interrupt")) rule.interrupt = *v;
      if (f.contains("when")) when(f.get("when"), rule.when);
      if (f.require("items")) rule.items = items(f.get("items"), "items");
      out.push_back(std::move(rule));
    }
  }
};

}  // namespace

std::optional<PlaylistSettings> parse_playlist(const YAML::Node& root, const std::string& path,
                                               const PlaylistContext& ctx, Reader& r) {
  size_t before = r.diag().count();
  PlaylistSettings s;
  s.path = path;
  PlaylistParser p{r, parent_dir(path), ctx};
  Fields top(r, root, {"transition", "default", "rules"}, "playlist");
  if (!top.valid()) return std::nullopt;
  if (top.has("transition")) {
    Fields t(r, top.get("transition"), {"kind", "duration"}, "transition");
    if (t.valid()) {
      if (t.require("kind"))
        if (auto k = r.choice<TransitionKind>(t.get("kind"), "kind",
                                              {{"crossfade", TransitionKind::kCrossfade}, {"cut", TransitionKind::kCut}}))
          s.transition.kind = *k;
      if (t.has("duration")) {
        YAML::Node d = t.get("duration");
        if (auto v = r.duration(d, "duration", Duration(1))) {
          if (*v > Duration(10'000)) r.error(d, "'duration' of a transition must be at most 10s");
          else s.transition.duration = *v;
        }
      }
    }
  }
  if (top.contains("default")) {
    YAML::Node d = top.get("default");
    if (d.IsNull()) r.error(d, "'default' is empty (it must list at least one item)");
    else s.default_items = p.items(d, "default");
  } else {
    r.error(root, "missing required key 'default' (the items played when no rule matches)");
  }
  if (top.has("rules")) p.rules(top.get("rules"), s.rules);
  if (r.diag().count() != before) return std::nullopt;
  return s;
}

}  // namespace branchcast
