// A small hand-made library for the recommender tests: five titles, three events, a few loans.
#pragma once

#include <string>

#include "common/time_zone.h"
#include "feeds/catalogue.h"

namespace branchcast::fixture {

inline TimePoint at(const char* iso) { return TimeZone::utc().parse_iso(iso).value(); }
inline std::chrono::year_month_day day_of(TimePoint t) {
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(t)};
}

// "Now" for every test: Monday 30 Nov 2026, 10:00 UTC.
inline TimePoint test_now() { return at("2026-11-30T10:00Z"); }

inline CatalogueTitle title(std::string id, std::string name, std::vector<std::string> authors,
                            std::vector<std::string> subjects, const char* added) {
  CatalogueTitle t;
  t.id = std::move(id);
  t.title = std::move(name);
  t.authors = std::move(authors);
  t.subjects = std::move(subjects);
  t.added = at(added);
  return t;
}

inline CatalogueEvent event(std::string id, std::string uid, std::string name, TimePoint start, Duration length,
                            std::vector<std::string> tags, std::vector<std::string> authors = {}) {
  CatalogueEvent e;
  e.id = std::move(id);
  e.uid = std::move(uid);
  e.feed = "events";
  e.title = std::move(name);
  e.start = start;
  e.end = start + length;
  e.tags = std::move(tags);
  e.authors = std::move(authors);
  e.location = "Room B";
  return e;
}

inline Catalogue small_library() {
  using std::chrono::days;
  using std::chrono::hours;
  const TimePoint now = test_now();
  Catalogue c;
  c.titles.push_back(title("raven", "The Raven Black", {"Ann Cleeves"}, {"crime", "shetland"}, "2026-06-01"));
  c.titles.push_back(title("white", "White Nights", {"Ann Cleeves"}, {"crime", "shetland"}, "2026-06-01"));
  c.titles.push_back(title("history", "A History of the Town", {"Local History Society"}, {"local history"}, "2026-11-28"));
  c.titles.push_back(title("caterpillar", "The Very Hungry Caterpillar", {"Eric Carle"}, {"picture books", "children"},
                           "2026-03-01"));
  c.titles.push_back(title("garden", "Gardening for All", {"Monty Don"}, {"gardening"}, "2025-01-01"));
  c.events.push_back(event("past", "past", "Knit and natter", now - days(1), hours(2), {"crafts"}));
  c.events.push_back(event("story@1", "story", "Storytime", now + hours(1), hours(1), {"storytime", "children"}));
  c.events.push_back(event("talk", "talk", "Author talk: Ann Cleeves", now + days(2), hours(1), {"author", "crime"},
                           {"Ann Cleeves"}));
  c.events.push_back(event("story@2", "story", "Storytime", now + days(7) + hours(1), hours(1), {"storytime", "children"}));
  c.loan_counts.push_back({day_of(now - days(3)), "raven", 20});
  c.loan_counts.push_back({day_of(now - days(10)), "white", 5});
  c.loan_counts.push_back({day_of(now - days(5)), "caterpillar", 8});
  c.loan_counts.push_back({day_of(now - days(1)), "history", 1});
  c.loan_counts.push_back({day_of(now - days(1)), "not-in-catalogue", 99});
  c.loan_pairs.push_back({day_of(now - days(10)), "raven", "white", 4});
  return c;
}

}  // namespace branchcast::fixture
