// Agreement with the reference: Debian's python3-recurring-ical-events 2.0.1 (+ python3-icalendar)
// over every calendar in ../shared/fixtures/ical/recurring-ical-events/ and the .ics files
// python3-icalendar ships in its tests folder, for one fixed window. Occurrence sets (uid, start,
// end) are compared; every disagreement is listed. Files where we deliberately differ, or where
// the reference is wrong or fails, are in kAllowed with the reason; everything else must agree,
// and an allow-listed file that starts agreeing must be taken off the list.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "feeds/feed_parser.h"
#include "tests/feeds/shared_fixtures.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFrom = "2000-01-01";
constexpr const char* kTo = "2030-01-01";

// file name -> why we differ from the reference there.
const std::map<std::string, std::string> kAllowed = {
#include "ical_reference_allowed.inc"
};

using test::read_file;
using test::source_dir;

std::vector<std::string> calendars() {
  std::vector<std::string> out;
  for (const fs::path& dir : {test::shared_dir() / "fixtures/ical/recurring-ical-events",
                             fs::path("/usr/lib/python3/dist-packages/icalendar/tests")}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".ics") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, nlohmann::json> run_reference(const std::vector<std::string>& files) {
  return test::run_peer_script("reference_occurrences.py", kFrom, kTo, files);
}

using Occ = std::tuple<std::string, std::string, std::string>;

std::string day_of(TimePoint t, const std::string& zone) {
  auto z = TimeZone::load(zone.empty() ? "UTC" : zone);
  return (z ? *z : TimeZone::utc()).format_iso(t).substr(0, 10);
}

std::string utc_of(TimePoint t) {
  std::string s = TimeZone::utc().format_iso(t);
  return s.substr(0, 19) + "Z";
}

Result<std::set<Occ>> ours(const std::string& path) {
  FeedParseOptions o;
  o.source = path;
  o.window_start = *TimeZone::utc().parse_iso(kFrom);
  o.window_end = *TimeZone::utc().parse_iso(kTo);
  o.max_occurrences_per_event = 100'000;
  o.max_occurrences = 1'000'000;
  o.max_window = std::chrono::duration_cast<Duration>(std::chrono::days(366 * 40));
  auto r = parse_ical(read_file(path), o);
  if (!r) return r.error();
  std::set<Occ> out;
  for (const auto& e : r->catalogue.events) {
    // Events without UID get "nouid-<hash>" (docs/feeds.md, Ids); the reference says "".
    std::string uid = e.uid.rfind("nouid-", 0) == 0 ? "" : e.uid;
    if (e.all_day) out.insert({uid, day_of(e.start, e.zone), day_of(e.end, e.zone)});
    else out.insert({uid, utc_of(e.start), utc_of(e.end)});
  }
  return out;
}

std::string show(const Occ& o) {
  return std::get<0>(o) + " " + std::get<1>(o) + " .. " + std::get<2>(o);
}

TEST(IcalReference, AgreesWithRecurringIcalEvents) {
  auto files = calendars();
  ASSERT_GT(files.size(), 80u) << "fixtures missing: " << source_dir() << "/../shared/fixtures/ical";
  auto reference = run_reference(files);
  ASSERT_EQ(reference.size(), files.size()) << "the python reference did not answer for every file";
  int agreed = 0, allowed = 0;
  for (const auto& path : files) {
    std::string name = fs::path(path).filename().string();
    const nlohmann::json& ref = reference[path];
    auto mine = ours(path);
    std::vector<std::string> diffs;
    if (ref.contains("error")) {
      diffs.push_back("reference fails: " + ref["error"].get<std::string>().substr(0, 160));
    } else if (!mine) {
      diffs.push_back("we fail: " + mine.error().to_string());
    } else {
      std::set<Occ> theirs;
      for (const auto& o : ref["occurrences"]) theirs.insert({o[0].get<std::string>(), o[1].get<std::string>(), o[2].get<std::string>()});
      for (const auto& o : theirs)
        if (!mine->count(o)) diffs.push_back("missing (reference has it): " + show(o));
      for (const auto& o : *mine)
        if (!theirs.count(o)) diffs.push_back("extra (reference lacks it): " + show(o));
    }
    auto allow = kAllowed.find(name);
    if (diffs.empty()) {
      ++agreed;
      EXPECT_EQ(allow, kAllowed.end()) << name << " now agrees: take it off the allow-list";
      continue;
    }
    std::ostringstream msg;
    msg << name << ": " << diffs.size() << " disagreement(s)";
    for (size_t i = 0; i < diffs.size() && i < 8; ++i) msg << "\n    " << diffs[i];
    if (diffs.size() > 8) msg << "\n    ...";
    if (allow != kAllowed.end()) {
      ++allowed;
      std::cout << "[allowed] " << msg.str() << "\n    why: " << allow->second << "\n";
    } else {
      ADD_FAILURE() << msg.str();
    }
  }
  std::cout << files.size() << " calendars: " << agreed << " agree, " << allowed
            << " differ for documented reasons\n";
}

}  // namespace
}  // namespace branchcast
