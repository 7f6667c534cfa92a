// Real-world feeds against independent peers, over the WHOLE corpus in
// ../shared/fixtures/realworld/ (every file of every folder, discovered at run time: a file added
// there later is judged without a code change). Peers (tests/feeds/peer_feeds.py): iCal against
// python3-recurring-ical-events 2.0.1 (occurrence sets: uid, start, end), RSS/Atom against
// python3-feedparser 6.0.10 (per entry: title, link, date, authors, image), JSON Feed and LibCal
// read literally. Files that differ for a documented reason are in realworld_known_differences.inc
// (peer bug / deliberate / RFC-ambiguous); a listed file that starts agreeing fails the test (the
// list only shrinks); a file NOT listed that differs is reported in the output as NEW, without
// failing CI, and counted in the figure printed at the end (README's corpus figure).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/strings.h"
#include "feeds/feed_parser.h"
#include "tests/feeds/shared_fixtures.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;
using test::shared_dir;
using test::read_file;
using test::source_dir;

constexpr const char* kFrom = "2000-01-01";
constexpr const char* kTo = "2030-01-01";

// "folder/file" -> why Branchcast differs from the peer there.
const std::map<std::string, std::string> kKnown = {
#include "realworld_known_differences.inc"
};

fs::path corpus() { return shared_dir() / "fixtures" / "realworld"; }

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(corpus(), ec)) {
    if (!e.is_regular_file() || e.path().filename() == "README.md") continue;
    if (e.path().parent_path() == corpus()) continue;  // files belong in a folder per kind
    out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, nlohmann::json> run_peers(const std::vector<fs::path>& files) {
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(f.string());
  return test::run_peer_script("peer_feeds.py", kFrom, kTo, paths);
}

std::string utc_of(TimePoint t) {
  std::string s = TimeZone::utc().format_iso(t);
  return s.substr(0, 19) + "Z";
}

std::string day_of(TimePoint t, const std::string& zone) {
  auto z = TimeZone::load(zone.empty() ? "UTC" : zone);
  return (z ? *z : TimeZone::utc()).format_iso(t).substr(0, 10);
}

// Whitespace collapsed, so that line breaks inside a title do not count.
std::string squash(std::string_view s) {
  std::string out;
  bool gap = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') { gap = !out.empty(); continue; }
    if (gap) out += ' ';
    gap = false;
    out += c;
  }
  return out;
}

FeedParseOptions options_for(const fs::path& path) {
  FeedParseOptions o;
  o.source = path.filename().string();
  o.window_start = *TimeZone::utc().parse_iso(kFrom);
  o.window_end = *TimeZone::utc().parse_iso(kTo);
  o.max_occurrences_per_event = 100'000;
  o.max_occurrences = 1'000'000;
  o.max_window = std::chrono::duration_cast<Duration>(std::chrono::days(366 * 40));
  return o;  // default_zone UTC, as the peers read floating times
}

void compare_ical(const fs::path& path, const nlohmann::json& peer, std::vector<std::string>& diffs) {
  auto r = parse_ical(read_file(path), options_for(path));
  if (!r) { diffs.push_back("we fail: " + r.error().to_string()); return; }
  using Occ = std::tuple<std::string, std::string, std::string>;
  std::set<Occ> mine, theirs;
  for (const auto& e : r->catalogue.events) {
    std::string uid = starts_with(e.uid, "nouid-") ? "" : e.uid;  // the peer has no id for them
    if (e.all_day) mine.insert({uid, day_of(e.start, e.zone), day_of(e.end, e.zone)});
    else mine.insert({uid, utc_of(e.start), utc_of(e.end)});
  }
  for (const auto& o : peer["items"]) theirs.insert({o[0].get<std::string>(), o[1].get<std::string>(), o[2].get<std::string>()});
  auto show = [](const Occ& o) { return std::get<0>(o) + " " + std::get<1>(o) + " .. " + std::get<2>(o); };
  for (const auto& o : theirs)
    if (!mine.count(o)) diffs.push_back("missing (peer has it): " + show(o));
  for (const auto& o : mine)
    if (!theirs.count(o)) diffs.push_back("extra (peer lacks it): " + show(o));
}

struct Entry {
  std::string title, link, date, image;
  std::vector<std::string> authors;
};

void compare_entries(const std::vector<Entry>& mine, const nlohmann::json& peer, std::vector<std::string>& diffs) {
  const auto& theirs = peer["items"];
  if (mine.size() != theirs.size())
    diffs.push_back("entries: ours " + std::to_string(mine.size()) + ", peer " + std::to_string(theirs.size()));
  for (size_t i = 0; i < mine.size() && i < theirs.size(); ++i) {
    const Entry& m = mine[i];
    const auto& t = theirs[i];
    std::string at = "entry " + std::to_string(i) + ": ";
    if (squash(m.title) != squash(t["title"].get<std::string>()))
      diffs.push_back(at + "title '" + m.title.substr(0, 60) + "' vs '" + t["title"].get<std::string>().substr(0, 60) + "'");
    if (m.link != t["link"].get<std::string>())
      diffs.push_back(at + "link " + m.link + " vs " + t["link"].get<std::string>());
    if (m.date != t["date"].get<std::string>())
      diffs.push_back(at + "date '" + m.date + "' vs '" + t["date"].get<std::string>() + "'");
    std::set<std::string> ma(m.authors.begin(), m.authors.end()), ta;
    for (const auto& a : t["authors"]) ta.insert(squash(a.get<std::string>()));
    if (ma != ta) {
      std::string a = "authors [";
      for (const auto& x : ma) a += x + ";";
      a += "] vs [";
      for (const auto& x : ta) a += x + ";";
      diffs.push_back(at + a + "]");
    }
    std::set<std::string> images;
    for (const auto& u : t["images"]) images.insert(u.get<std::string>());
    if (m.image.empty() != images.empty() || (!m.image.empty() && !images.count(m.image)))
      diffs.push_back(at + "image '" + m.image + "' not among the peer's " + std::to_string(images.size()) + " candidates");
  }
}

void compare_titles(const Result<ParsedFeed>& r, const nlohmann::json& peer, std::vector<std::string>& diffs) {
  if (!r) { diffs.push_back("we fail: " + r.error().to_string()); return; }
  std::vector<Entry> mine;
  for (const auto& t : r->catalogue.titles) {
    Entry e{t.title, t.url, t.added == TimePoint{} ? "" : utc_of(t.added), t.image, {}};
    for (const auto& a : t.authors) e.authors.push_back(squash(a));
    mine.push_back(std::move(e));
  }
  compare_entries(mine, peer, diffs);
}

void compare_events(const Result<ParsedFeed>& r, const nlohmann::json& peer, std::vector<std::string>& diffs) {
  if (!r) { diffs.push_back("we fail: " + r.error().to_string()); return; }
  std::vector<Entry> mine;
  for (const auto& e : r->catalogue.events) mine.push_back({e.title, e.url, utc_of(e.start), e.image, e.authors});
  compare_entries(mine, peer, diffs);
}

TEST(RealworldPeers, WholeCorpusAgreesOrDiffersForAListedReason) {
  auto files = corpus_files();
  ASSERT_GE(files.size(), 30u) << "corpus missing: " << corpus();
  auto peers = run_peers(files);
  ASSERT_EQ(peers.size(), files.size()) << "the python peers did not answer for every file";
  int agreed = 0, known = 0, fresh = 0;
  std::set<std::string> seen;
  for (const auto& path : files) {
    std::string name = path.parent_path().filename().string() + "/" + path.filename().string();
    seen.insert(name);
    const nlohmann::json& peer = peers[path.string()];
    std::string kind = peer.value("kind", "");
    std::vector<std::string> diffs;
    if (peer.contains("error")) {
      diffs.push_back("peer fails: " + peer["error"].get<std::string>().substr(0, 160));
    } else if (kind == "ical") {
      compare_ical(path, peer, diffs);
    } else if (kind == "xml") {
      compare_titles(parse_xml_feed(read_file(path), options_for(path)), peer, diffs);
    } else if (kind == "jsonfeed") {
      compare_titles(parse_jsonfeed(read_file(path), options_for(path)), peer, diffs);
    } else {
      compare_events(parse_json_events(read_file(path), options_for(path)), peer, diffs);
    }
    auto listed = kKnown.find(name);
    if (diffs.empty()) {
      ++agreed;
      std::cout << "[agrees] " << name << "\n";
      EXPECT_EQ(listed, kKnown.end()) << name << " now agrees with its peer: take it off "
                                      << "tests/feeds/realworld_known_differences.inc";
      continue;
    }
    std::ostringstream msg;
    msg << name << ": " << diffs.size() << " difference(s)";
    size_t show_n = std::getenv("PEER_ALL") ? diffs.size() : 6;
    for (size_t i = 0; i < diffs.size() && i < show_n; ++i) msg << "\n    " << diffs[i];
    if (diffs.size() > show_n) msg << "\n    ...";
    if (listed != kKnown.end()) {
      ++known;
      std::cout << "[known] " << msg.str() << "\n    why: " << listed->second << "\n";
    } else {
      ++fresh;  // reported, never skipped; not a CI failure (a new file waits for its reason)
      std::cout << "[NEW, not yet judged] " << msg.str() << "\n";
    }
  }
  for (const auto& [name, why] : kKnown)
    EXPECT_TRUE(seen.count(name)) << name << " is listed but no longer in the corpus";
  std::cout << "corpus: " << files.size() << " files: " << agreed << " agree with their peer, " << known
            << " differ for a documented reason, " << fresh << " differ and are not yet judged\n";
}

}  // namespace
}  // namespace branchcast
