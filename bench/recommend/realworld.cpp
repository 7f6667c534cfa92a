// Patron relevance on REAL feeds (bench only): an evaluation nobody tuned the ranker to.
//
// The feeds are read at run time from the shared fixtures (never copied into this repository):
// every RSS/Atom/JSON feed there becomes the branch's titles (their real authors and categories),
// and each iCal calendar in turn its events, with "now" a day before the calendar's median event.
// Patron profiles are built from the same feeds: for each item with authors or categories, a
// reader who follows its first author and its first two categories; for each event with
// categories, a reader who follows them. Each profile is ranked in patron mode (top 10).
//
// The check is made here, from the catalogue, not from the ranker's own relevance: an item
// "shares something" with a profile when one of its authors (or an event's ATTENDEE/ORGANIZER
// names, or a followed name in an event's title/description) is a followed author, or every word
// of a followed subject is among its subject/tag words (an event's title words too) or the phrase
// is in an event's description. precision@3 = items sharing something among the top 3, over
// min(3, items in the branch sharing something with the profile): 1.0 means every top-3 slot that
// could be relevant is. In-run baseline: the same profiles against a lobby screen's ranking
// (what a patron would get without declared interests).
//
// Usage: bench_recommend_realworld [FIXTURES_DIR]  (default: $BRANCHCAST_REALWORLD, else
// ../shared/fixtures/realworld or ../../shared/fixtures/realworld from the source tree)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "feeds/feed_parser.h"
#include "recommend/ranker.h"
#include "recommend/text_index.h"

using namespace branchcast;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path fixtures_dir(int argc, char** argv) {
  std::vector<fs::path> tries;
  if (argc > 1) tries.emplace_back(argv[1]);
  if (const char* env = std::getenv("BRANCHCAST_REALWORLD")) tries.emplace_back(env);
  tries.emplace_back(fs::path(BRANCHCAST_SOURCE_DIR) / ".." / "shared" / "fixtures" / "realworld");
  tries.emplace_back(fs::path(BRANCHCAST_SOURCE_DIR) / ".." / ".." / "shared" / "fixtures" / "realworld");
  for (const auto& t : tries)
    if (fs::is_directory(t / "rss")) return t;
  return {};
}

bool contains_all(const std::set<std::string>& have, const std::vector<std::string>& words) {
  return !words.empty() && std::all_of(words.begin(), words.end(), [&](const std::string& w) { return have.count(w); });
}

struct Profile {
  std::string from;  // which feed it was built from
  PatronInterests interests;
};

// What an item offers for matching, computed from the catalogue (independently of the ranker).
struct ItemFacts {
  std::set<std::string> names;   // canonical names of authors (and an event's people)
  std::set<std::string> words;   // subject/tag words (and an event's title words)
  std::string text;              // events: word_text(title + description)
};

bool shares(const ItemFacts& f, const PatronInterests& p) {
  for (const auto& a : p.authors) {
    const std::string n = canonical_name(a);
    if (n.empty()) continue;
    if (f.names.count(n)) return true;
    if (n.find(' ') != std::string::npos && f.text.find(" " + n + " ") != std::string::npos) return true;
  }
  for (const auto& s : p.subjects) {
    const auto w = subject_words(s);
    if (contains_all(f.words, w)) return true;
    std::string phrase;
    for (const auto& x : w) phrase += (phrase.empty() ? "" : " ") + x;
    if (!w.empty() && f.text.find(" " + phrase + " ") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path dir = fixtures_dir(argc, argv);
  if (dir.empty()) {
    std::fprintf(stderr, "real-world fixtures not found (pass the folder, or set BRANCHCAST_REALWORLD)\n");
    return 1;
  }
  FeedParseOptions opt;
  opt.window_start = TimeZone::utc().parse_iso("2000-01-01").value();
  opt.window_end = TimeZone::utc().parse_iso("2030-01-01").value();
  Catalogue titles;
  std::vector<std::pair<std::string, std::vector<CatalogueEvent>>> calendars;
  size_t feeds = 0;
  std::vector<fs::path> files;
  for (const char* sub : {"rss", "atom", "json", "ical"})
    for (const auto& e : fs::directory_iterator(dir / sub)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const std::string kind = path.parent_path().filename().string(), body = read(path);
    opt.feed_id = opt.source = path.filename().string();
    std::vector<FeedKind> kinds = kind == "ical"   ? std::vector<FeedKind>{FeedKind::kIcal}
                                  : kind == "json" ? std::vector<FeedKind>{FeedKind::kJsonCatalogue, FeedKind::kJsonEvents}
                                                   : std::vector<FeedKind>{FeedKind::kRss};
    for (FeedKind k : kinds) {
      auto parsed = parse_feed(k, body, opt);
      if (!parsed) continue;
      ++feeds;
      for (auto& t : parsed->catalogue.titles) titles.titles.push_back(std::move(t));
      if (!parsed->catalogue.events.empty()) calendars.emplace_back(path.filename().string(), parsed->catalogue.events);
      break;
    }
  }

  // Profiles, from the feeds' real authors and categories.
  std::vector<Profile> profiles;
  std::set<std::string> seen;
  for (const auto& t : titles.titles) {
    PatronInterests in;
    if (!t.authors.empty()) in.authors = {t.authors.front()};
    std::vector<std::string> cats = t.subjects;
    cats.insert(cats.end(), t.tags.begin(), t.tags.end());
    for (size_t i = 0; i < cats.size() && in.subjects.size() < 2; ++i)
      if (!subject_words(cats[i]).empty()) in.subjects.push_back(cats[i]);
    std::string key;
    for (const auto& a : in.authors) key += "a:" + canonical_name(a) + ";";
    for (const auto& s : in.subjects) key += "s:" + word_text(s) + ";";
    if ((in.authors.empty() && in.subjects.empty()) || !seen.insert(key).second) continue;
    profiles.push_back({t.feed, std::move(in)});
  }
  for (const auto& [name, events] : calendars)
    for (const auto& e : events) {
      PatronInterests in;
      for (const auto& tag : e.tags)
        if (in.subjects.size() < 2 && !subject_words(tag).empty()) in.subjects.push_back(tag);
      std::string key;
      for (const auto& s : in.subjects) key += "s:" + word_text(s) + ";";
      if (in.subjects.empty() || !seen.insert(key).second) continue;
      profiles.push_back({name, std::move(in)});
    }

  std::printf("real-world feeds from %s: %zu feeds parsed, %zu titles, %zu calendars with events, %zu profiles\n",
              dir.string().c_str(), feeds, titles.titles.size(), calendars.size(), profiles.size());
  double hits = 0, slots = 0, base_hits = 0, top1_hits = 0, top1_slots = 0, no_relevant = 0, rankings = 0;
  size_t worst_shown = 0;
  for (const auto& [name, events] : calendars) {
    std::vector<TimePoint> starts;
    for (const auto& e : events) starts.push_back(e.start);
    std::sort(starts.begin(), starts.end());
    const TimePoint now = starts[starts.size() / 2] - std::chrono::days(1);
    Catalogue branch = titles;
    branch.events = events;
    const RecommenderModel model = build_model(branch, now);
    std::vector<ItemFacts> facts(model.items.size());
    for (size_t i = 0; i < model.items.size(); ++i) {
      const ModelItem& it = model.items[i];
      for (const auto* list : {&it.authors, &it.people})
        for (const auto& a : *list)
          if (auto n = canonical_name(a); !n.empty()) facts[i].names.insert(n);
      for (const auto& s : it.subjects)
        for (auto& w : subject_words(s)) facts[i].words.insert(w);
      if (it.type == ModelItemType::kEvent) {
        for (auto& w : subject_words(it.title)) facts[i].words.insert(w);
        facts[i].text = it.text;
      }
    }
    const Ranking screen = rank(model, screen_request(now, ScreenSettings{}, PresenceLevel::kSome));
    for (const Profile& p : profiles) {
      RankRequest req = patron_request(now, p.interests, {});
      const Ranking r = rank(model, req);
      ++rankings;
      // Relevant items that a ranking could show (allowed now: titles, upcoming events).
      size_t relevant = 0;
      for (size_t i = 0; i < model.items.size(); ++i) {
        const ModelItem& it = model.items[i];
        const bool candidate = it.type == ModelItemType::kTitle || (it.end > now && it.start <= now + std::chrono::days(14));
        if (candidate && shares(facts[i], p.interests)) ++relevant;
      }
      const size_t k = std::min<size_t>(3, relevant);
      if (k == 0) {
        ++no_relevant;
        continue;
      }
      size_t h = 0, b = 0;
      for (size_t i = 0; i < 3 && i < r.items.size(); ++i) h += shares(facts[model.by_id.at(r.items[i].id)], p.interests);
      for (size_t i = 0; i < 3 && i < screen.items.size(); ++i)
        b += shares(facts[model.by_id.at(screen.items[i].id)], p.interests);
      hits += static_cast<double>(std::min(h, k));
      base_hits += static_cast<double>(std::min(b, k));
      slots += static_cast<double>(k);
      ++top1_slots;
      top1_hits += !r.items.empty() && shares(facts[model.by_id.at(r.items[0].id)], p.interests);
      if (h < k && worst_shown++ < 5) {
        std::printf("  miss: profile from %s (", p.from.c_str());
        for (const auto& a : p.interests.authors) std::printf("author '%s' ", a.c_str());
        for (const auto& s : p.interests.subjects) std::printf("subject '%s' ", s.c_str());
        std::printf(") with %s: top 3 =", name.c_str());
        for (size_t i = 0; i < 3 && i < r.items.size(); ++i) std::printf(" [%s]", r.items[i].title.c_str());
        std::printf("\n");
      }
    }
  }
  std::printf("\n| ranking | profiles x calendars | precision@3 (shares a declared interest) | top-1 shares |\n");
  std::printf("| --- | --- | --- | --- |\n");
  std::printf("| patron (declared interests) | %.0f (%.0f with nothing relevant) | %.4f | %.4f |\n", rankings,
              no_relevant, slots > 0 ? hits / slots : 0.0, top1_slots > 0 ? top1_hits / top1_slots : 0.0);
  std::printf("| baseline: lobby screen | same | %.4f | - |\n", slots > 0 ? base_hits / slots : 0.0);
  return 0;
}
