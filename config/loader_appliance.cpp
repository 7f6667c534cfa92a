// appliance.yaml (formats.md section 1) -> ApplianceSettings, without its playlists.
#include <filesystem>
#include <map>

#include "common/strings.h"
#include "common/time_zone.h"
#include "config/language.h"
#include "config/loader_internal.h"
#include "config/loader_paths.h"
#include "config/loader_values.h"

namespace branchcast {
namespace {

constexpr const char* kDayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// Resolves a "file:" reference relative to the appliance's folder; reports at `n` on failure.
std::optional<std::string> referenced_file(Reader& r, const YAML::Node& n, const std::string& what,
                                           const std::string& base_dir, const std::string& ref) {
  auto p = resolve_referenced_file(base_dir, ref);
  if (!p) {
    r.error(n, what + " " + p.error().message);
    return std::nullopt;
  }
  return *p;
}

// "HH:MM-HH:MM", a list of those, or closed (no windows). nullopt after an error.
std::optional<std::vector<TimeWindow>> hours_value(Reader& r, const YAML::Node& v, const std::string& name) {
  std::vector<TimeWindow> windows;
  bool ok = true;
  if (v.IsScalar() && to_lower(trim(v.Scalar())) == "closed") {
    // closed: no windows
  } else if (v.IsSequence()) {
    for (const auto& w : v) {
      if (!r.visit(w)) return std::nullopt;
      auto tw = r.time_window(w, name);
      if (tw) windows.push_back(*tw);
      else ok = false;
    }
  } else if (v.IsScalar()) {
    auto tw = r.time_window(v, name);
    if (tw) windows.push_back(*tw);
    else ok = false;
  } else {
    r.error(v, "'" + name + "' must be \"HH:MM-HH:MM\", a list of those, or closed");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return windows;
}

SourcePlace place_of(Reader& r, const YAML::Node& n) {
  YAML::Mark m = n.Mark();
  return m.is_null() ? SourcePlace{r.diag().file(), 0, 0} : SourcePlace{r.diag().file(), m.line + 1, m.column + 1};
}

std::optional<DateRange> dates_value(Reader& r, const YAML::Node& d) {
  auto s = r.text(d, "dates");
  if (!s) return std::nullopt;
  auto range = parse_date_range(*s);
  if (!range) {
    r.error(d, "'dates': " + range.error().message);
    return std::nullopt;
  }
  return *range;
}

std::string range_text(const DateRange& d) {
  std::string a = format_date(d.first), b = format_date(d.last);
  return a == b ? a : a + ".." + b;
}

bool overlap(const DateRange& a, const DateRange& b) {
  return local_days(a.first) <= local_days(b.last) && local_days(b.first) <= local_days(a.last);
}

// branch.closures: [{dates, name}]; overlapping closures are said (the first one names the day).
void parse_closures(Reader& r, const YAML::Node& n, std::vector<Closure>& out) {
  if (!r.expect_seq(n, "closures")) return;
  for (const auto& e : n) {
    if (!r.visit(e)) return;
    Fields f(r, e, {"dates", "name"}, "closure");
    if (!f.valid()) continue;
    Closure c;
    c.where = place_of(r, e);
    std::optional<DateRange> dates;
    if (f.require("dates")) dates = dates_value(r, f.get("dates"));
    if (f.require("name"))
      if (auto v = r.text(f.get("name"), "name")) c.name = *v;
    if (!dates || c.name.empty()) continue;
    c.dates = *dates;
    for (const auto& o : out)
      if (overlap(o.dates, c.dates))
        r.warning(f.get("dates"), "closure '" + c.name + "' (" + range_text(c.dates) + ") overlaps closure '" + o.name +
                                      "' (" + range_text(o.dates) + ", line " + std::to_string(o.where.line) +
                                      "); the days they share are named '" + o.name + "'");
    out.push_back(std::move(c));
  }
}

// branch.special_hours: [{dates, hours}]; special hours on a closure day are said (closed wins).
void parse_special_hours(Reader& r, const YAML::Node& n, const std::vector<Closure>& closures,
                         std::vector<SpecialHours>& out) {
  if (!r.expect_seq(n, "special_hours")) return;
  for (const auto& e : n) {
    if (!r.visit(e)) return;
    Fields f(r, e, {"dates", "hours"}, "special_hours entry");
    if (!f.valid()) continue;
    SpecialHours s;
    s.where = place_of(r, e);
    std::optional<DateRange> dates;
    std::optional<std::vector<TimeWindow>> hours;
    if (f.require("dates")) dates = dates_value(r, f.get("dates"));
    if (f.require("hours")) hours = hours_value(r, f.get("hours"), "hours");
    if (!dates || !hours) continue;
    s.dates = *dates;
    s.hours = *hours;
    for (const auto& o : out)
      if (overlap(o.dates, s.dates))
        r.warning(f.get("dates"), "special hours for " + range_text(s.dates) + " overlap those for " +
                                      range_text(o.dates) + " (line " + std::to_string(o.where.line) +
                                      "); the first one given applies");
    for (const auto& c : closures)
      if (overlap(c.dates, s.dates))
        r.warning(f.get("dates"), "special hours for " + range_text(s.dates) + " fall on closure '" + c.name +
                                      "' (" + range_text(c.dates) + ", line " + std::to_string(c.where.line) +
                                      "); the branch stays closed on those days");
    out.push_back(std::move(s));
  }
}

void parse_opening_hours(Reader& r, const YAML::Node& n, OpeningHours& hours) {
  if (!r.expect_map(n, "opening_hours")) return;
  std::array<int, 7> given_at{};  // line where each day got its hours (0: not yet)
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!r.visit(it->second)) return;
    auto key = r.text(it->first, "day");
    if (!key) continue;
    auto days = parse_weekdays(*key);
    if (!days) {
      r.error(it->first, days.error().message);
      continue;
    }
    auto parsed = hours_value(r, it->second, *key);
    bool ok = parsed.has_value();
    std::vector<TimeWindow> windows = parsed.value_or(std::vector<TimeWindow>{});
    for (size_t d = 0; d < 7; ++d) {
      if (!(*days)[d]) continue;
      if (given_at[d] != 0) {
        r.error(it->first, std::string("'") + kDayNames[d] + "' already has opening hours (line " +
                               std::to_string(given_at[d]) + ")");
        continue;
      }
      given_at[d] = it->first.Mark().line + 1;
      if (ok) hours.by_weekday[d] = windows;
    }
  }
}

// `language`: a BCP 47 tag. Ill-formed (a name, "fr_FR") is an error with the tag meant; a
// well-formed tag without prompt wording is a warning, and prompts stay in English.
void parse_language(Reader& r, const YAML::Node& n, BranchSettings& b) {
  auto v = r.text(n, "language");
  if (!v) return;
  const auto& known = prompt_languages();
  std::string list;
  for (auto l : known) list += (list.empty() ? "" : ", ") + std::string(l);
  if (!is_language_tag(*v)) {
    std::string guess = language_tag_guess(*v);
    if (guess.empty()) guess = did_you_mean(*v, known);
    r.error(n, "'language' must be a BCP 47 language tag such as en, fr or cy (got " + r.quoted(n) +
                   (guess.empty() ? "" : "; did you mean '" + guess + "'?") + ")");
    return;
  }
  if (has_prompt_language(*v)) {
    b.language = *v;
    return;
  }
  std::string guess = did_you_mean(primary_language(*v), known);
  r.warning(n, "no prompt wording in language " + r.quoted(n) + " yet: prompts are in English (have: " + list +
                   (guess.empty() ? "" : "; did you mean '" + guess + "'?") + ")");
  b.language = "en";
}

void parse_branch(Reader& r, const YAML::Node& n, BranchSettings& b) {
  Fields f(r, n, {"id", "name", "timezone", "language", "opening_hours", "closures", "special_hours",
                  "closures_feed"},
           "branch");
  if (!f.valid()) return;
  if (f.require("id"))
    if (auto v = r.identifier(f.get("id"), "id")) b.id = *v;
  if (f.has("name")) {
    if (auto v = r.text(f.get("name"), "name")) b.name = *v;
  } else {
    b.name = b.id;
  }
  if (f.require("timezone")) {
    YAML::Node z = f.get("timezone");
    if (auto v = r.text(z, "timezone")) {
      if (TimeZone::load(*v)) b.timezone = *v;
      else r.error(z, "unknown time zone " + r.quoted(z) + " (expected an IANA zone such as Europe/London)");
    }
  }
  if (f.has("language")) parse_language(r, f.get("language"), b);
  if (f.has("opening_hours")) {
    b.opening_hours_given = true;
    parse_opening_hours(r, f.get("opening_hours"), b.opening_hours);
  }
  if (f.has("closures")) parse_closures(r, f.get("closures"), b.closures);
  if (f.has("special_hours")) parse_special_hours(r, f.get("special_hours"), b.closures, b.special_hours);
  if (f.has("closures_feed"))
    if (auto v = r.identifier(f.get("closures_feed"), "closures_feed")) b.closures_feed = *v;
}

// closures_feed must name an ical feed of this file.
void check_closures_feed(Reader& r, const YAML::Node& branch, const ApplianceSettings& s) {
  if (s.branch.closures_feed.empty() || !branch.IsMap()) return;
  YAML::Node at = branch["closures_feed"];
  std::string list;
  for (const auto& f : s.feeds) {
    if (f.id == s.branch.closures_feed) {
      if (f.kind != FeedKind::kIcal)
        r.error(at, "closures_feed '" + f.id + "' is a " + to_string(f.kind) +
                        " feed; closures come from an ical feed's all-day events");
      return;
    }
    list += (list.empty() ? "" : ", ") + f.id;
  }
  r.error(at, "closures_feed names unknown feed '" + s.branch.closures_feed + "'" +
                  (list.empty() ? " (appliance.yaml defines no feeds)" : " (feeds: " + list + ")"));
}

// power: {on, off} fixed daily times, or {before_open, after_close} around each day's real hours.
void parse_power(Reader& r, const YAML::Node& n, ScreenSettings& s) {
  Fields pw(r, n, {"on", "off", "before_open", "after_close"}, "power");
  if (!pw.valid()) return;
  bool fixed = pw.contains("on") || pw.contains("off");
  bool relative = pw.contains("before_open") || pw.contains("after_close");
  if (fixed && relative) {
    r.error(n, "'power' takes either fixed times (on, off) or times around opening hours (before_open, "
               "after_close), not both");
    return;
  }
  if (relative) {
    PowerSchedule p;
    p.relative = true;
    bool ok = true;
    for (const char* key : {"before_open", "after_close"}) {
      if (!pw.has(key)) continue;
      YAML::Node v = pw.get(key);
      auto d = r.duration(v, key, Duration(0));
      if (!d) ok = false;
      else if (*d > std::chrono::hours(12)) r.error(v, std::string("'") + key + "' must be at most 12h"), ok = false;
      else (std::string(key) == "before_open" ? p.before_open : p.after_close) = *d;
    }
    if (ok) s.power = p;
    return;
  }
  std::optional<TimeOfDay> on, off;
  if (pw.require("on")) on = r.time_of_day(pw.get("on"), "on");
  if (pw.require("off")) off = r.time_of_day(pw.get("off"), "off");
  if (on && off && *on == *off) r.error(pw.get("off"), "'off' must differ from 'on'");
  else if (on && off) s.power = PowerSchedule{*on, *off};
}

void parse_screen(Reader& r, const YAML::Node& n, const std::string& base_dir, ScreenSettings& s,
                  ApplianceRefs& refs) {
  Fields f(r, n, {"id", "output", "resolution", "rotation", "playlist", "power", "audience"}, "screen");
  if (!f.valid()) return;
  if (f.require("id"))
    if (auto v = r.identifier(f.get("id"), "id")) s.id = *v;
  if (f.has("output"))
    if (auto v = r.choice<OutputKind>(f.get("output"), "output",
                                      {{"auto", OutputKind::kAuto}, {"kms", OutputKind::kKms},
                                       {"window", OutputKind::kWindow}, {"offscreen", OutputKind::kOffscreen}}))
      s.output = *v;
  if (f.has("resolution")) {
    YAML::Node res = f.get("resolution");
    if (auto v = r.text(res, "resolution")) {
      auto wh = parse_resolution(*v);
      if (wh) s.width = wh->first, s.height = wh->second;
      else r.error(res, wh.error().message);
    }
  }
  if (f.has("rotation")) {
    YAML::Node rot = f.get("rotation");
    if (auto v = r.integer(rot, "rotation", 0, 270)) {
      if (*v % 90 == 0) s.rotation = static_cast<int>(*v);
      else r.error(rot, "'rotation' must be 0, 90, 180 or 270");
    }
  }
  if (f.require("playlist")) {
    YAML::Node p = f.get("playlist");
    if (auto ref = r.text(p, "playlist")) {
      if (auto abs = referenced_file(r, p, "playlist", base_dir, *ref)) {
        s.playlist_path = *abs;
        refs.playlists.push_back({s.id, *ref, *abs});
      }
    }
  }
  if (f.has("audience"))  // who the screen faces, for the recommender ("everyone": a lobby)
    if (auto v = r.choice<const char*>(f.get("audience"), "audience",
                                       {{"everyone", ""}, {"children", "children"}, {"teen", "teen"}, {"adult", "adult"}}))
      s.audience = *v;
  if (f.has("power")) parse_power(r, f.get("power"), s);
}

void parse_feed(Reader& r, const YAML::Node& n, const std::string& base_dir, FeedSettings& feed) {
  Fields f(r, n, {"id", "kind", "url", "refresh", "max_bytes"}, "feed");
  if (!f.valid()) return;
  if (f.require("id"))
    if (auto v = r.identifier(f.get("id"), "id")) feed.id = *v;
  if (f.require("kind"))
    if (auto v = r.choice<FeedKind>(f.get("kind"), "kind",
                                    {{"ical", FeedKind::kIcal}, {"rss", FeedKind::kRss}, {"atom", FeedKind::kAtom},
                                     {"json-events", FeedKind::kJsonEvents},
                                     {"json-catalogue", FeedKind::kJsonCatalogue},
                                     {"json-loans", FeedKind::kJsonLoans},
                                     {"jsonfeed", FeedKind::kJsonFeed}}))
      feed.kind = *v;
  if (f.require("url")) {
    YAML::Node u = f.get("url");
    if (auto v = r.text(u, "url")) {
      std::string lower = to_lower(*v);
      if (starts_with(lower, "http://") || starts_with(lower, "https://")) {
        if (v->find_first_of(" \t") != std::string::npos) r.error(u, "'url' must not contain spaces");
        else feed.url = *v;
      } else if (starts_with(*v, "file:")) {
        std::string rel = file_url_path(*v);
        if (rel.empty()) r.error(u, "'url' has no path after 'file:'");
        else if (auto abs = referenced_file(r, u, "feed file", base_dir, rel)) feed.url = "file:" + *abs;
      } else {
        r.error(u, "'url' must start with http://, https:// or file:");
      }
    }
  }
  if (f.has("refresh"))
    if (auto v = r.duration(f.get("refresh"), "refresh", Duration(1000))) feed.refresh = *v;
  if (f.has("max_bytes"))
    if (auto v = r.integer(f.get("max_bytes"), "max_bytes", 1024, kDefaultFeedMaxBytes)) feed.max_bytes = *v;
}

// The value of the "id" key of a map, else the map itself. (Never assign to a YAML::Node: it
// writes through to the document.)
YAML::Node id_node(const YAML::Node& map) {
  if (map.IsMap())
    for (auto kv = map.begin(); kv != map.end(); ++kv)
      if (kv->first.IsScalar() && kv->first.Scalar() == "id") return kv->second;
  return map;
}

// Parses a list of maps, reporting duplicate ids; `one` fills each element.
template <typename T, typename F>
void parse_list(Reader& r, const YAML::Node& n, const char* name, const char* what, std::vector<T>& out, F one) {
  if (n.IsNull() || !r.expect_seq(n, name)) return;
  std::map<std::string, int> seen;  // id -> line
  for (const auto& e : n) {
    if (!r.visit(e)) return;
    T item;
    one(e, item);
    if (!item.id.empty()) {
      auto [it, fresh] = seen.emplace(item.id, e.Mark().line + 1);
      if (!fresh) {
        r.error(id_node(e), std::string("duplicate ") + what + " id '" + item.id + "' (first at line " +
                        std::to_string(it->second) + ")");
      }
    }
    out.push_back(std::move(item));
  }
}

}  // namespace

ApplianceSettings parse_appliance(const YAML::Node& root, const std::string& path,
                                                 Reader& r, ApplianceRefs& refs) {
  ApplianceSettings s;
  s.path = path;
  s.base_dir = parent_dir(path);
  s.content_root = s.base_dir;
  Fields top(r, root, {"branch", "content_root", "screens", "feeds", "beacon", "presence", "notifications",
                       "telemetry", "health"},
             "appliance file");
  if (!top.valid()) return s;
  if (top.require("branch")) parse_branch(r, top.get("branch"), s.branch);
  if (top.has("content_root")) {
    YAML::Node c = top.get("content_root");
    if (auto v = r.text(c, "content_root")) {
      auto dir = canonical_dir(absolute_path((std::filesystem::path(s.base_dir) / *v).string()));
      if (dir) s.content_root = *dir;
      else r.error(c, "content_root " + r.quoted(c) + " is not an existing folder");
    }
  } else if (auto dir = canonical_dir(s.base_dir)) {
    s.content_root = *dir;
  }
  parse_list(r, top.get("screens"), "screens", "screen", s.screens,
             [&](const YAML::Node& e, ScreenSettings& sc) { parse_screen(r, e, s.base_dir, sc, refs); });
  parse_list(r, top.get("feeds"), "feeds", "feed", s.feeds,
             [&](const YAML::Node& e, FeedSettings& fd) { parse_feed(r, e, s.base_dir, fd); });
  parse_appliance_services(r, top, s, refs);
  check_closures_feed(r, top.get("branch"), s);
  return s;
}

}  // namespace branchcast
