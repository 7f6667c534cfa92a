#include "feeds/feed_json.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace branchcast {
namespace {

using Json = nlohmann::ordered_json;

struct Row {
  std::optional<TimePoint> start;
  std::string id;
  Json item;
};

Json strings(const std::vector<std::string>& v) {
  Json a = Json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

}  // namespace

std::string feed_json(FeedKind kind, const Catalogue& catalogue, const FeedJsonZones& zones) {
  std::map<std::string, std::optional<TimeZone>> loaded;
  auto zone_for = [&](const std::string& name) -> const TimeZone& {
    if (zones.branch) return *zones.branch;
    if (!name.empty()) {
      auto it = loaded.find(name);
      if (it == loaded.end()) {
        auto z = TimeZone::load(name);
        it = loaded.emplace(name, z ? std::optional<TimeZone>(*z) : std::nullopt).first;
      }
      if (it->second) return *it->second;
    }
    return zones.feed ? *zones.feed : zones.fallback;
  };
  std::vector<Row> rows;
  for (const CatalogueEvent& e : catalogue.events) {
    const TimeZone& z = zone_for(e.zone);
    Json j;
    j["id"] = e.id;
    j["title"] = e.title;
    j["start"] = z.format_iso(e.start);
    j["end"] = z.format_iso(e.end);
    j["all_day"] = e.all_day;
    j["location"] = e.location;
    j["tags"] = strings(e.tags);
    j["description"] = e.description;
    j["url"] = e.url;
    j["image"] = e.image;
    j["authors"] = strings(e.authors);
    j["subjects"] = strings(e.subjects);
    j["kind"] = "event";
    if (!e.audience.empty()) j["audience"] = e.audience;
    j["people"] = strings(e.people);
    rows.push_back({e.start, e.id, std::move(j)});
  }
  for (const CatalogueTitle& t : catalogue.titles) {
    bool dated = t.added != TimePoint{};
    const TimeZone& z = zone_for("");
    Json j;
    j["id"] = t.id;
    j["title"] = t.title;
    j["start"] = dated ? Json(z.format_iso(t.added)) : Json(nullptr);
    j["end"] = nullptr;
    j["all_day"] = false;
    j["location"] = "";
    j["tags"] = strings(t.tags);
    j["description"] = t.description;
    j["url"] = t.url;
    j["image"] = t.image;
    j["authors"] = strings(t.authors);
    j["subjects"] = strings(t.subjects);
    j["kind"] = t.kind;
    j["isbn"] = t.isbn;
    if (!t.audience.empty()) j["audience"] = t.audience;
    j["people"] = Json::array();
    rows.push_back({dated ? std::optional<TimePoint>(t.added) : std::nullopt, t.id, std::move(j)});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.start.has_value() != b.start.has_value()) return a.start.has_value();
    if (a.start && *a.start != *b.start) return *a.start < *b.start;
    return false;
  });
  Json doc;
  doc["feed"] = to_string(kind);
  doc["items"] = Json::array();
  for (Row& r : rows) doc["items"].push_back(std::move(r.item));
  if (kind == FeedKind::kJsonLoans) {
    doc["loan_counts"] = Json::array();
    for (const LoanCount& c : catalogue.loan_counts)
      doc["loan_counts"].push_back({{"day", format_date(c.day)}, {"title", c.title_id}, {"count", c.count}});
    doc["loan_pairs"] = Json::array();
    for (const LoanPair& p : catalogue.loan_pairs)
      doc["loan_pairs"].push_back({{"day", format_date(p.day)}, {"a", p.a}, {"b", p.b}, {"count", p.count}});
  }
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace branchcast
