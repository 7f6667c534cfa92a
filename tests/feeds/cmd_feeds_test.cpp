// `branchcast feeds show` end to end through the CLI dispatcher (files; URLs are covered by
// feeds_service_test's real HTTP server through the same read_feed_source).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "appliance/cli.h"
#include "common/time_zone.h"

namespace branchcast {
namespace {

class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint t) : t_(t) {}
  TimePoint now() const override { return t_; }
  MonoTime monotonic() const override { return MonoTime{}; }

 private:
  TimePoint t_;
};

struct Run {
  int code;
  std::string out, err;
};

Run run(std::vector<std::string> argv) {
  std::ostringstream out, err;
  NullLogSink log;
  FixedClock clock(*TimeZone::utc().parse_iso("2026-03-01T12:00Z"));
  CommandEnv env{out, err, log, clock};
  int code = run_cli(argv, env);
  return {code, out.str(), err.str()};
}

const std::string kDemo = std::string(BRANCHCAST_SOURCE_DIR) + "/examples/demo-branch/feeds/";

TEST(CmdFeeds, ShowsTheDemoCalendarInTheFeedsZone) {
  auto r = run({"feeds", "show", "--kind", "ical", kDemo + "events.ics", "--from", "2026-03-30T00:00+01:00",
                "--to", "2026-04-02T00:00+01:00"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(j["feed"], "ical");
  ASSERT_EQ(j["items"].size(), 2u);  // Monday and Wednesday storytime, after the switch to BST
  EXPECT_EQ(j["items"][0]["id"], "storytime-mon-wed@demo-central@2026-03-30T08:30:00Z");
  EXPECT_EQ(j["items"][0]["start"], "2026-03-30T09:30:00+01:00");
  std::vector<std::string> keys;
  for (auto it = j["items"][0].begin(); it != j["items"][0].end(); ++it) keys.push_back(it.key());
  std::vector<std::string> first(keys.begin(), keys.begin() + 12);
  EXPECT_EQ(first, (std::vector<std::string>{"id", "title", "start", "end", "all_day", "location", "tags",
                                             "description", "url", "image", "authors", "subjects"}));
}

TEST(CmdFeeds, DefaultWindowIsFromYesterdayForAYear) {
  auto r = run({"feeds", "show", "--kind", "ical", kDemo + "events.ics"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::ordered_json::parse(r.out);
  // 3 weekly series (two of them twice a week: storytime) over 366 days: about 52 * 4 occurrences.
  EXPECT_GT(j["items"].size(), 200u);
  EXPECT_LT(j["items"].size(), 220u);
  // now - 1 day = 2026-02-28T12:00Z: Saturday's code club (14:00-15:30) is the first.
  EXPECT_EQ(j["items"][0]["start"], "2026-02-28T14:00:00+00:00");
}

TEST(CmdFeeds, RssAndErrors) {
  auto r = run({"feeds", "show", "--kind", "rss", kDemo + "new-arrivals.xml"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"isbn\": \"9780330440868\""), std::string::npos);
  EXPECT_EQ(run({"feeds", "show", "--kind", "ical", kDemo + "new-arrivals.xml"}).code, 1);
  EXPECT_EQ(run({"feeds", "show", "--kind", "ical", "/nonexistent.ics"}).code, 1);
  EXPECT_EQ(run({"feeds", "show", "--kind", "nope", kDemo + "events.ics"}).code, 2);
  EXPECT_EQ(run({"feeds", "show", kDemo + "events.ics"}).code, 2);
  EXPECT_EQ(run({"feeds", "list"}).code, 2);
  EXPECT_EQ(run({"feeds", "show", "--kind", "ical", kDemo + "events.ics", "--from", "tomorrow"}).code, 2);
}

}  // namespace
}  // namespace branchcast
