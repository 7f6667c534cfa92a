// The catalogue model every feed parser produces and the scheduler, cards and recommender read.
// Plain values; no parser or transport types cross this header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/time.h"

namespace branchcast {

// One occurrence of an event (a recurring event yields one per occurrence).
struct CatalogueEvent {
  std::string id;        // UID; for a recurring event's occurrence: UID + "@" + ISO start
  std::string uid;       // the UID alone
  std::string feed;      // feed id it came from
  std::string title;     // plain text (HTML stripped)
  TimePoint start;
  TimePoint end;         // == start when the feed gives no end or duration
  bool all_day = false;
  std::string zone;      // IANA zone the feed gave for this event ("" = floating / branch zone)
  std::string location;
  std::vector<std::string> tags;  // CATEGORIES / categories, lower-cased, trimmed
  std::string description;        // plain text
  std::string url;
  std::string image;
  std::vector<std::string> authors;
  std::vector<std::string> people;  // iCal ATTENDEE/ORGANIZER common names (CN), as given
  std::vector<std::string> subjects;
  std::string audience;  // "children", "teen", "adult", "" = everyone
};

// A title (work) in the catalogue: a new arrival, a catalogue record.
struct CatalogueTitle {
  std::string id;        // "isbn:978..." when an ISBN is known, else the feed's guid/id/link
  std::string feed;
  std::string kind = "book";  // book, dvd, audiobook, ...
  std::string title;
  std::vector<std::string> authors;
  std::vector<std::string> subjects;
  std::vector<std::string> tags;
  std::string description;
  std::string url;
  std::string image;
  std::string isbn;
  std::string audience;
  TimePoint added{};     // when it entered the catalogue / feed (pubDate, updated)
};

// Anonymous loans: never a patron id. Either per-title counts or co-borrowed pairs, per day.
struct LoanCount {
  std::chrono::year_month_day day;
  std::string title_id;
  int64_t count = 0;
};
struct LoanPair {
  std::chrono::year_month_day day;
  std::string a;
  std::string b;
  int64_t count = 0;
};

struct Catalogue {
  std::vector<CatalogueEvent> events;  // sorted by start
  std::vector<CatalogueTitle> titles;
  std::vector<LoanCount> loan_counts;
  std::vector<LoanPair> loan_pairs;
};

}  // namespace branchcast
