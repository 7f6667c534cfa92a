// A seeded synthetic library for the recommender benchmarks: titles with authors and subjects,
// events, and SYNTHETIC borrowers whose loans follow planted author/subject affinities and a
// popularity that drifts (new titles peak, then fade). Bench only: the product never stores
// per-patron loan histories; here they exist so leave-last-out evaluation has something to hold out.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "config/settings.h"
#include "feeds/catalogue.h"

namespace branchcast::bench {

struct LibraryShape {
  uint64_t seed = 42;
  int titles = 4000;
  int authors = 800;
  int subjects = 40;
  int children_subjects = 4;  // subjects 0..N-1 are children's
  int users = 3000;
  int days = 365;
  int loans_per_user_min = 8;
  int loans_per_user_max = 60;
  double p_author = 0.35;      // a loan by a favourite author
  double p_subject = 0.35;     // a loan in a favourite subject
  int pair_window_days = 14;   // loans by one borrower this close make an anonymous LoanPair
  int events = 60;
};

struct Loan {
  int user;
  int title;
  int day;
};

struct SyntheticUser {
  std::vector<int> authors;   // favourite authors (planted)
  std::vector<int> subjects;  // favourite subjects (planted)
};

struct SyntheticLibrary {
  LibraryShape shape;
  TimePoint day0{};                   // midnight UTC of day 0
  Catalogue catalogue;                // titles and events; loans are added by anonymous_loans()
  std::vector<std::string> author_names;
  std::vector<std::string> subject_names;
  std::vector<int> title_author;
  std::vector<int> title_added_day;   // < 0: in the catalogue before day 0
  std::vector<SyntheticUser> users;
  std::vector<Loan> loans;            // sorted by (user, day)

  TimePoint day_start(int day) const { return day0 + std::chrono::days(day); }
};

SyntheticLibrary make_library(const LibraryShape& shape);

// The anonymous aggregates the product sees (LoanCount per title and day, LoanPair per day for two
// loans by one borrower within pair_window_days), from loans with day < before_day only.
void add_anonymous_loans(const SyntheticLibrary& lib, int before_day, Catalogue& out);

// What a synthetic user declared at opt-in: their favourite subjects and their first favourite
// author (people rarely list everything they like).
PatronInterests declared_interests(const SyntheticLibrary& lib, int user);

}  // namespace branchcast::bench
