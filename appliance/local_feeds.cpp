#include "appliance/local_feeds.h"

#include <algorithm>
#include <fstream>
#include <ostream>

#include "common/strings.h"
#include "feeds/feed_parser.h"

namespace branchcast {
namespace {

// The body of a local feed ("file:/abs/path"), refusing files over max_bytes.
Result<std::string> read_local(const FeedSettings& feed) {
  const std::string path = feed.url.substr(5);
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read " + path, {path});
  std::string body;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    body.append(buf, static_cast<size_t>(in.gcount()));
    if (static_cast<int64_t>(body.size()) > feed.max_bytes)
      return make_error("larger than the feed's size cap", {path});
  }
  return body;
}

template <typename T>
void append(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

Catalogue load_local_catalogue(const ApplianceSettings& settings, const TimeZone& zone, TimePoint from,
                               TimePoint to, std::ostream* notes) {
  Catalogue all;
  for (const FeedSettings& feed : settings.feeds) {
    if (!starts_with(feed.url, "file:")) {
      if (notes) *notes << "note: feed '" << feed.id << "' is not a local file; offline commands read local feeds only\n";
      continue;
    }
    auto body = read_local(feed);
    if (!body) {
      if (notes) *notes << "note: feed '" << feed.id << "' skipped: " << body.error().to_string() << "\n";
      continue;
    }
    FeedParseOptions opts;
    opts.feed_id = feed.id;
    opts.source = feed.url.substr(5);
    opts.default_zone = zone;
    opts.window_start = from;
    opts.window_end = to;
    opts.max_bytes = feed.max_bytes;
    auto parsed = parse_feed(feed.kind, *body, opts);
    if (!parsed) {
      if (notes) *notes << "note: feed '" << feed.id << "' skipped: " << parsed.error().to_string() << "\n";
      continue;
    }
    Catalogue& c = parsed->catalogue;
    append(all.events, c.events);
    append(all.titles, c.titles);
    append(all.loan_counts, c.loan_counts);
    append(all.loan_pairs, c.loan_pairs);
  }
  std::stable_sort(all.events.begin(), all.events.end(),
                   [](const CatalogueEvent& a, const CatalogueEvent& b) { return a.start < b.start; });
  return all;
}

}  // namespace branchcast
