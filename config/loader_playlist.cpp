// Playlists (formats.md section 2) -> PlaylistSettings.
#include <algorithm>
#include <map>

#include "config/loader_internal.h"
#include "config/loader_paths.h"
#include "config/loader_values.h"

namespace branchcast {
namespace {

constexpr const char* kKinds[] = {"image", "video", "text", "events", "recommended", "nearby"};
// Kinds the recommender knows (`recommended.kinds`); a catalogue feed may give others.
const std::vector<std::string_view> kRecommendedKinds = {"book", "event", "dvd", "audiobook", "ebook",
                                                         "music", "magazine", "game", "film"};

bool open_at_midnight(const OpeningHours& h) {
  for (const auto& day : h.by_weekday)
    for (const auto& w : day)
      if (w.crosses_midnight() || w.end.minutes == 1440 || w.start.minutes == 0) return true;
  return false;
}

// The shortest opening window of the week (and of special hours), with the day it is on.
std::optional<std::pair<std::string, TimeWindow>> shortest_opening(const BranchSettings& b) {
  static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::optional<std::pair<std::string, TimeWindow>> best;
  auto length = [](const TimeWindow& w) { return (w.end.minutes - w.start.minutes + 1440) % 1440; };
  auto consider = [&](const std::string& day, const TimeWindow& w) {
    if (!best || length(w) < length(best->second)) best = std::make_pair(day, w);
  };
  if (b.opening_hours_given)
    for (size_t d = 0; d < 7; ++d)
      for (const auto& w : b.opening_hours.by_weekday[d]) consider(kDays[d], w);
  for (const auto& s : b.special_hours) {
    bool closed = false;  // special hours on a closure day never apply
    for (const auto& c : b.closures)
      closed = closed || (local_days(c.dates.first) <= local_days(s.dates.first) &&
                          local_days(s.dates.last) <= local_days(c.dates.last));
    if (!closed)
      for (const auto& w : s.hours) consider(format_date(s.dates.first), w);
  }
  return best;
}

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
    if (f.has("kinds")) {
      YAML::Node kn = f.get("kinds");
      if (auto v = r.text_list(kn, "kinds")) {
        q.kinds = *v;
        std::vector<YAML::Node> nodes;
        if (kn.IsSequence()) for (const auto& e : kn) nodes.push_back(e);
        else nodes.push_back(kn);
        for (const auto& e : nodes) {
          if (!e.IsScalar()) continue;
          const std::string& k = e.Scalar();
          if (std::find(kRecommendedKinds.begin(), kRecommendedKinds.end(), k) != kRecommendedKinds.end()) continue;
          std::string guess = did_you_mean(k, kRecommendedKinds);
          if (!guess.empty())
            r.error(e, "unknown kind '" + k + "' in 'kinds' (did you mean '" + guess + "'?)");
          else
            r.warning(e, "kind '" + k + "' is not one the recommender knows (book, event, dvd, audiobook, ebook, "
                         "music, magazine, game, film): no cards unless a catalogue feed gives that kind");
        }
      }
    }
  }

  void parse_content(const YAML::Node& n, const char* kind, PlaylistItem& item) {
    auto ref = r.text(n, kind);
    if (!ref) return;
    item.path = *ref;
    auto resolved = resolve_content(dir, *ref, ctx.content_root);
    if (resolved) {
      item.resolved = *resolved;
      item.root = ctx.content_root;
    }
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
    Fields f(r, n, {"days", "time", "dates", "before_event", "presence", "open", "before_close", "after_open"},
             "when");
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
    if (f.has("time")) {
      YAML::Node tn = f.get("time");
      w.time = r.time_window(tn, "time");
      if (w.time && w.time->crosses_midnight() && ctx.branch && ctx.branch->opening_hours_given &&
          !open_at_midnight(ctx.branch->opening_hours))
        r.warning(tn, "'time' \"" + format_time_of_day(w.time->start) + "-" + format_time_of_day(w.time->end) +
                          "\" crosses midnight (from " + format_time_of_day(w.time->start) + " until " +
                          format_time_of_day(w.time->end) + " the next day), but the branch is closed at midnight: "
                          "did you mean " + format_time_of_day(w.time->end) + "-" +
                          format_time_of_day(w.time->start) + "?");
    }
    if (f.has("open")) w.open = r.boolean(f.get("open"), "open");
    for (const char* key : {"before_close", "after_open"}) {
      if (!f.has(key)) continue;
      YAML::Node dn = f.get(key);
      auto d = r.duration(dn, key, Duration(60'000));
      if (!d) continue;
      if (*d > std::chrono::hours(24)) {
        r.error(dn, std::string("'") + key + "' must be at most 24h");
        continue;
      }
      (std::string(key) == "before_close" ? w.before_close : w.after_open) = *d;
      if (!ctx.branch) continue;
      if (!ctx.branch->opening_hours_given && ctx.branch->special_hours.empty()) {
        r.warning(dn, std::string("'") + key + "' needs branch.opening_hours in appliance.yaml (without them the "
                      "branch counts as open all day, every day)");
        continue;
      }
      auto shortest = shortest_opening(*ctx.branch);
      if (!shortest) continue;
      const TimeWindow& sw = shortest->second;
      int open_minutes = (sw.end.minutes - sw.start.minutes + 1440) % 1440;
      if (open_minutes == 0) open_minutes = 1440;
      if (*d >= std::chrono::minutes(open_minutes))
        r.warning(dn, std::string("'") + key + "' " + format_duration(*d) + " is as long as the opening on " +
                          shortest->first + " (" + format_time_of_day(sw.start) + "-" + format_time_of_day(sw.end) +
                          "): that day the rule holds from opening to closing");
    }
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
    size_t errors_before = r.diag().count();
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
      rule.when.given = f.contains("when");
      if (f.require("items")) rule.items = items(f.get("items"), "items");
      out.push_back(std::move(rule));
    }
    // A rule whose `when` had errors looks condition-less: warn only about a clean list.
    if (r.diag().count() == errors_before) warn_always_active(n, out);
  }

  static bool always_candidate(const WhenCondition& w) {
    return !w.days && !w.time && !w.dates && !w.before_event && !w.presence && !w.open && !w.before_close &&
           !w.after_open;
  }

  // Rule 8: a rule without conditions is always a candidate; with the highest priority of its
  // playlist it is always active and `default` never plays.
  void warn_always_active(const YAML::Node& n, const std::vector<PlaylistRule>& rules) {
    if (rules.empty()) return;
    int top = rules.front().priority;
    for (const auto& rule : rules) top = std::max(top, rule.priority);
    (void)n;
    for (const auto& rule : rules) {
      if (!always_candidate(rule.when) || rule.priority != top || rule.name.empty()) continue;
      r.diag().warn(rule.where.line, rule.where.column, "rule '" + rule.name + "' has no 'when', so it is always active and, with the highest priority (" +
                       std::to_string(rule.priority) +
                       ") of this playlist, 'default' never plays (give it a 'when', e.g. when: { open: true }, "
                       "or a lower priority)");
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
