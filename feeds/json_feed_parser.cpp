// JSON feeds (nlohmann-json): LibCal-like events (LibCal's API and its calendar's /ajax answer),
// new-arrivals/catalogue titles, JSON Feed 1.0/1.1, anonymous loans.
// The shapes are documented in docs/feeds.md. The loans feed must never carry a patron: any field
// whose name looks like a person's identifier is refused, and its value never echoed. Nesting is capped before parsing (nlohmann's parser
// recurses), sizes by FeedParseOptions.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <optional>

#include "common/strings.h"
#include "feeds/feed_dates.h"
#include "feeds/feed_parser.h"
#include "feeds/html_text.h"
#include "feeds/isbn.h"

namespace branchcast {
namespace {

using Json = nlohmann::json;
constexpr int kMaxDepth = 32;

Result<Json> parse_json(std::string_view body, const FeedParseOptions& o, const char* kind) {
  if (static_cast<int64_t>(body.size()) > o.max_bytes)
    return make_error(o.source + ": " + std::to_string(body.size()) + " bytes is over the limit of " +
                      std::to_string(o.max_bytes));
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth)
        return make_error(o.source + ": byte offset " + std::to_string(i) + ": JSON nested deeper than " +
                          std::to_string(kMaxDepth));
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  try {
    return Json::parse(body.begin(), body.end());
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    if (auto p = what.find("parse error"); p != std::string::npos) what = what.substr(p);
    return make_error(o.source + ": byte offset " + std::to_string(e.byte) + ": not valid JSON for " +
                      kind + ": " + what);
  } catch (const Json::exception& e) {  // out_of_range: a number too large for a double (1e7000)
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return make_error(o.source + ": not valid JSON for " + kind + ": " + what);
  }
}

// A string field, or the "name" of an object field, or a number as text.
std::string str(const Json& j, std::initializer_list<const char*> keys) {
  if (!j.is_object()) return "";
  for (const char* k : keys) {
    auto it = j.find(k);
    if (it == j.end()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    if (it->is_object()) {
      for (const char* sub : {"name", "public", "url", "href"})
        if (auto s = it->find(sub); s != it->end() && s->is_string()) return s->get<std::string>();
    }
  }
  return "";
}

// A list field: an array of strings or of {"name": ...} objects, or one string split on ';' / ','.
std::vector<std::string> list(const Json& j, std::initializer_list<const char*> keys) {
  std::vector<std::string> out;
  auto add = [&](std::string s) {
    s = html_to_text(s, false, 512);
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end() && out.size() < 64) out.push_back(s);
  };
  if (!j.is_object()) return out;
  for (const char* k : keys) {
    auto it = j.find(k);
    if (it == j.end()) continue;
    if (it->is_string()) {
      char sep = it->get<std::string>().find(';') != std::string::npos ? ';' : ',';
      for (const auto& part : split(it->get<std::string>(), sep)) add(std::string(trim(part)));
    } else if (it->is_array()) {
      for (const auto& e : *it) {
        if (e.is_string()) add(e.get<std::string>());
        else if (e.is_object()) add(str(e, {"name", "term", "label"}));
      }
    }
  }
  return out;
}

const Json* items_of(const Json& doc, std::initializer_list<const char*> keys) {
  if (doc.is_array()) return &doc;
  if (!doc.is_object()) return nullptr;
  for (const char* k : keys)
    if (auto it = doc.find(k); it != doc.end() && it->is_array()) return &*it;
  return nullptr;
}

Error shape_error(const FeedParseOptions& o, const std::string& what) {
  return make_error(o.source + ": " + what + " (see docs/feeds.md for the shape)");
}

std::string web_link(std::string s) {
  s = std::string(trim(s));
  return starts_with(s, "http://") || starts_with(s, "https://") ? s : "";
}

constexpr std::array<std::string_view, 11> kPersonal = {
    "patron", "borrower", "user", "member", "card", "barcode", "email", "customer", "reader",
    "person", "account"};

// The JSON pointer of the first key that looks like a patron identifier, or "".
std::string personal_key(const Json& j, const std::string& path, int depth = 0) {
  if (depth > 40) return "";
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      std::string k = to_lower(it.key());
      for (auto p : kPersonal)
        if (k.find(p) != std::string::npos) return path + "/" + it.key().substr(0, 64);
      if (auto found = personal_key(it.value(), path + "/" + it.key().substr(0, 64), depth + 1); !found.empty())
        return found;
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i)
      if (auto found = personal_key(j[i], path + "/" + std::to_string(i), depth + 1); !found.empty()) return found;
  }
  return "";
}

Result<std::chrono::year_month_day> day_of(const Json& e, const std::string& where, const FeedParseOptions& o) {
  auto it = e.find("day");
  if (it == e.end() || !it->is_string()) return make_error(o.source + ": " + where + ": missing \"day\" (YYYY-MM-DD)");
  auto d = parse_date(it->get<std::string>());
  if (!d) return make_error(o.source + ": " + where + ": " + d.error().message);
  return *d;
}

Result<int64_t> count_of(const Json& e, const std::string& where, const FeedParseOptions& o) {
  auto it = e.find("count");
  if (it == e.end()) return int64_t{1};
  if (!it->is_number_integer() || it->get<int64_t>() < 0)
    return make_error(o.source + ": " + where + ": \"count\" must be a whole number >= 0");
  return it->get<int64_t>();
}

std::string id_of(const Json& e, const char* key) {
  auto it = e.find(key);
  if (it == e.end()) return "";
  if (it->is_string()) return std::string(trim(it->get<std::string>())).substr(0, 256);
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return "";
}

// The first of `keys` that holds a readable date (LibCal's ajax answer has "start": "13:00" beside
// "startdt": "2022-01-10 13:00:00").
std::optional<TimePoint> date_of(const Json& e, std::initializer_list<const char*> keys, const TimeZone& zone) {
  for (const char* k : keys)
    if (auto d = parse_feed_date(str(e, {k}), zone)) return d;
  return std::nullopt;
}

bool flag(const Json& e, const char* key) {
  auto it = e.find(key);
  return it != e.end() && it->is_boolean() && it->get<bool>();
}

bool is_jsonfeed(const Json& doc) {
  return doc.is_object() && starts_with(str(doc, {"version"}), "https://jsonfeed.org/version/");
}

// JSON Feed authors: "authors": [{"name": ...}] (1.1) or "author": {"name": ...} (1.0).
std::vector<std::string> jsonfeed_authors(const Json& j) {
  std::vector<std::string> out = list(j, {"authors"});
  if (out.empty()) {
    if (std::string a = html_to_text(str(j, {"author"}), false, 512); !a.empty()) out.push_back(a);
  }
  return out;
}

}  // namespace

Result<ParsedFeed> parse_jsonfeed(std::string_view body, const FeedParseOptions& o) {
  auto doc = parse_json(body, o, "jsonfeed");
  if (!doc) return doc.error();
  if (!doc->is_object() || !doc->contains("items") || !(*doc)["items"].is_array())
    return shape_error(o, "expected a JSON Feed object with an \"items\" array");
  if (!is_jsonfeed(*doc))
    return shape_error(o, "\"version\" is not https://jsonfeed.org/version/1 or /1.1");
  ParsedFeed out;
  std::vector<std::string> feed_authors = jsonfeed_authors(*doc);
  size_t index = 0;
  for (const Json& e : (*doc)["items"]) {
    std::string where = "/items/" + std::to_string(index++);
    if (out.catalogue.titles.size() >= o.max_items) {
      out.warnings.push_back(o.source + ": more than " + std::to_string(o.max_items) + " items; the rest are ignored");
      break;
    }
    if (!e.is_object()) return shape_error(o, where + ": expected an object");
    CatalogueTitle t;
    t.feed = o.feed_id;
    t.kind = "article";
    t.title = html_to_text(str(e, {"title"}), false, 1024);
    t.url = web_link(str(e, {"url"}));
    if (t.url.empty()) t.url = web_link(str(e, {"external_url"}));
    std::string id(trim(str(e, {"id"})));
    t.id = !id.empty() ? id : !t.url.empty() ? t.url : t.title;
    if (t.id.empty()) continue;  // nothing to show or to refer to
    std::string text = str(e, {"content_text"});
    t.description = !text.empty() ? html_to_text(text, true, 16 * 1024)
                                   : html_to_text(str(e, {"content_html"}), true, 16 * 1024);
    if (t.description.empty()) t.description = html_to_text(str(e, {"summary"}), true, 16 * 1024);
    if (t.title.empty()) t.title = html_to_text(str(e, {"summary"}), false, 160);
    t.image = web_link(str(e, {"image"}));
    if (t.image.empty()) t.image = web_link(str(e, {"banner_image"}));
    t.authors = jsonfeed_authors(e);
    if (t.authors.empty()) t.authors = feed_authors;  // JSON Feed 1.1: items inherit the feed's
    t.subjects = list(e, {"tags"});
    for (const auto& s : t.subjects) {
      std::string l = to_lower(s);
      if (std::find(t.tags.begin(), t.tags.end(), l) == t.tags.end()) t.tags.push_back(l);
    }
    std::string when = str(e, {"date_published"});
    if (when.empty()) when = str(e, {"date_modified"});
    if (!when.empty()) {
      if (auto d = parse_feed_date(when, o.default_zone)) t.added = *d;
      else out.warnings.push_back(o.source + ": " + where + ": unreadable date '" + when.substr(0, 40) + "'");
    }
    out.catalogue.titles.push_back(std::move(t));
  }
  return out;
}

Result<ParsedFeed> parse_json_events(std::string_view body, const FeedParseOptions& o) {
  auto doc = parse_json(body, o, "json-events");
  if (!doc) return doc.error();
  // LibCal: the API's "events", its calendar page's /ajax/calendar/list "results".
  const Json* items = items_of(*doc, {"events", "items", "results"});
  if (!items) return shape_error(o, "expected an \"events\" array");
  ParsedFeed out;
  TimeZone zone = o.default_zone;
  if (std::string tz = str(*doc, {"timezone", "tz"}); !tz.empty()) {
    if (auto z = TimeZone::load(tz)) {
      zone = *z;
      out.zone = tz;
    } else {
      out.warnings.push_back(o.source + ": unknown timezone '" + tz.substr(0, 64) + "'");
    }
  }
  size_t index = 0;
  for (const Json& e : *items) {
    std::string where = "/events/" + std::to_string(index++);
    if (out.catalogue.events.size() >= o.max_items) {
      out.warnings.push_back(o.source + ": more than " + std::to_string(o.max_items) + " events; the rest are ignored");
      break;
    }
    if (!e.is_object()) return shape_error(o, where + ": expected an object");
    std::string status = to_lower(str(e, {"status"}));
    if (status == "cancelled" || status == "canceled") continue;
    CatalogueEvent ev;
    ev.feed = o.feed_id;
    ev.uid = ev.id = str(e, {"id", "uid"});
    ev.title = html_to_text(str(e, {"title", "name"}), false, 1024);
    auto start = date_of(e, {"start", "start_date", "startdt"}, zone);
    if (!start) return shape_error(o, where + ": missing or unreadable \"start\"");
    ev.start = *start;
    auto end = date_of(e, {"end", "end_date", "enddt"}, zone);
    ev.end = end && *end >= *start ? *end : *start;
    ev.all_day = flag(e, "allday") || flag(e, "all_day");
    if (ev.all_day && !end) ev.end = ev.start + std::chrono::hours(24);
    ev.zone = out.zone;
    ev.location = html_to_text(str(e, {"location"}), false, 1024);
    ev.tags = list(e, {"category", "categories_arr", "categories", "tags"});
    for (auto& t : ev.tags) t = to_lower(t);
    ev.description = html_to_text(str(e, {"description"}), true, 16 * 1024);
    // Registration: LibCal's event page is where patrons register; an explicit link wins.
    ev.url = web_link(str(e, {"registration_url", "registration_link"}));
    if (ev.url.empty()) ev.url = web_link(str(e, {"url", "link"}));
    ev.image = web_link(str(e, {"featured_image", "image"}));
    ev.authors = list(e, {"presenter", "presenters", "authors"});
    ev.subjects = list(e, {"subjects"});
    auto audiences = list(e, {"audience"});
    if (!audiences.empty()) ev.audience = to_lower(audiences.front());
    if (ev.id.empty()) ev.uid = ev.id = ev.title + "@" + TimeZone::utc().format_iso(ev.start);
    out.catalogue.events.push_back(std::move(ev));
  }
  std::stable_sort(out.catalogue.events.begin(), out.catalogue.events.end(),
                   [](const CatalogueEvent& a, const CatalogueEvent& b) { return a.start < b.start; });
  return out;
}

Result<ParsedFeed> parse_json_catalogue(std::string_view body, const FeedParseOptions& o) {
  auto doc = parse_json(body, o, "json-catalogue");
  if (!doc) return doc.error();
  if (is_jsonfeed(*doc)) return parse_jsonfeed(body, o);  // a JSON Feed given as json-catalogue
  const Json* items = items_of(*doc, {"titles", "items", "records"});
  if (!items) return shape_error(o, "expected a \"titles\" array");
  ParsedFeed out;
  size_t index = 0;
  for (const Json& e : *items) {
    std::string where = "/titles/" + std::to_string(index++);
    if (out.catalogue.titles.size() >= o.max_items) {
      out.warnings.push_back(o.source + ": more than " + std::to_string(o.max_items) + " titles; the rest are ignored");
      break;
    }
    if (!e.is_object()) return shape_error(o, where + ": expected an object");
    CatalogueTitle t;
    t.feed = o.feed_id;
    t.title = html_to_text(str(e, {"title"}), false, 1024);
    if (t.title.empty()) return shape_error(o, where + ": missing \"title\"");
    std::string isbn = str(e, {"isbn", "isbn13", "isbn10"});
    if (isbn.empty() && e.contains("isbns") && e["isbns"].is_array() && !e["isbns"].empty() && e["isbns"][0].is_string())
      isbn = e["isbns"][0].get<std::string>();
    if (!isbn.empty()) {
      auto n = normalize_isbn(isbn);
      if (!n) out.warnings.push_back(o.source + ": " + where + ": invalid ISBN ignored");
      else t.isbn = *n;
    }
    std::string id = str(e, {"id", "record_id", "bib_id"});
    std::string url = web_link(str(e, {"url", "link"}));
    t.id = !t.isbn.empty() ? "isbn:" + t.isbn : !id.empty() ? id : !url.empty() ? url : t.title;
    t.authors = list(e, {"authors", "author", "creators"});
    t.subjects = list(e, {"subjects", "subject"});
    t.tags = list(e, {"tags"});
    for (const auto& s : t.subjects) {
      std::string l = to_lower(s);
      if (std::find(t.tags.begin(), t.tags.end(), l) == t.tags.end()) t.tags.push_back(l);
    }
    if (std::string kind = to_lower(str(e, {"format", "kind", "type"})); !kind.empty()) t.kind = kind;
    t.description = html_to_text(str(e, {"description", "summary"}), true, 16 * 1024);
    t.url = web_link(str(e, {"url", "link"}));
    t.image = web_link(str(e, {"image", "cover", "cover_url"}));
    t.audience = to_lower(str(e, {"audience"}));
    if (auto added = parse_feed_date(str(e, {"added", "date_added", "published"}), o.default_zone)) t.added = *added;
    out.catalogue.titles.push_back(std::move(t));
  }
  return out;
}

Result<ParsedFeed> parse_json_loans(std::string_view body, const FeedParseOptions& o) {
  auto doc = parse_json(body, o, "json-loans");
  if (!doc) return doc.error();
  if (std::string key = personal_key(*doc, ""); !key.empty())
    return make_error(o.source + ": field " + key +
                      " looks like a patron identifier (refused: a loans feed must be anonymous)");
  const Json* root = &*doc;
  if (doc->is_object() && doc->contains("loans") && (*doc)["loans"].is_object()) root = &(*doc)["loans"];
  if (!root->is_object() || (!root->contains("counts") && !root->contains("pairs")))
    return shape_error(o, "expected \"counts\" and/or \"pairs\" arrays");
  ParsedFeed out;
  size_t total = 0;
  for (const char* section : {"counts", "pairs"}) {
    auto it = root->find(section);
    if (it == root->end()) continue;
    if (!it->is_array()) return shape_error(o, std::string("\"") + section + "\" must be an array");
    size_t index = 0;
    for (const Json& e : *it) {
      std::string where = std::string("/") + section + "/" + std::to_string(index++);
      if (++total > o.max_items * 10) {
        out.warnings.push_back(o.source + ": too many loan rows; the rest are ignored");
        break;
      }
      if (!e.is_object()) return shape_error(o, where + ": expected an object");
      auto day = day_of(e, where, o);
      if (!day) return day.error();
      auto count = count_of(e, where, o);
      if (!count) return count.error();
      if (std::string_view(section) == "counts") {
        std::string title = id_of(e, "title");
        if (title.empty()) return shape_error(o, where + ": missing \"title\"");
        out.catalogue.loan_counts.push_back({*day, title, *count});
      } else {
        std::string a = id_of(e, "a"), b = id_of(e, "b");
        if (a.empty() || b.empty() || a == b) return shape_error(o, where + ": \"a\" and \"b\" must be two different titles");
        out.catalogue.loan_pairs.push_back({*day, a, b, *count});
      }
    }
  }
  return out;
}

}  // namespace branchcast
