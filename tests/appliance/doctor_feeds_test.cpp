#include "appliance/doctor_feeds.h"

#include <gtest/gtest.h>

namespace branchcast {
namespace {

using namespace std::chrono;

FeedSettings feed(const std::string& id) {
  FeedSettings f;
  f.id = id;
  f.refresh = minutes(15);
  return f;
}

TEST(DoctorFeeds, FreshFailingStaleAndNeverFetched) {
  TimePoint now = sys_days(year{2026} / 3 / 2) + hours(12);
  FeedStatus fresh{"events", now - minutes(10), now - minutes(10), "", std::nullopt, "ok"};
  FeedStatus failing{"arrivals", now - hours(3), now - minutes(2), "calendar.example.org: HTTP 500", now - minutes(2), "ok"};
  FeedStatus stale{"loans", now - hours(2), now - hours(2), "", std::nullopt, "ok"};
  auto r = check_feed_statuses({feed("events")}, {fresh}, now);
  EXPECT_EQ(r.level, CheckLevel::kOk);
  EXPECT_EQ(r.message, "1 feed(s) fresh");
  r = check_feed_statuses({feed("events"), feed("arrivals"), feed("loans"), feed("new")}, {fresh, failing, stale}, now);
  EXPECT_EQ(r.level, CheckLevel::kWarn);
  EXPECT_EQ(r.message,
            "arrivals: last attempt failed 2 min ago (calendar.example.org: HTTP 500); showing the copy from 3 h ago; "
            "loans: last fetched 2 h ago (refresh 15m); new: never fetched");
}

TEST(DoctorFeeds, AFailingClosuresFeedKeepsItsLastGoodClosures) {
  TimePoint now = sys_days(year{2026} / 3 / 2) + hours(12);
  FeedStatus failing{"holidays", now - hours(3), now - minutes(2), "council.example.org: HTTP 500", now - minutes(2), "ok"};
  auto r = check_feed_statuses({feed("holidays")}, {failing}, now, "holidays");
  EXPECT_EQ(r.level, CheckLevel::kWarn);
  EXPECT_EQ(r.message, "holidays: last attempt failed 2 min ago (council.example.org: HTTP 500); the closures feed: "
                       "keeping its closures from 3 h ago");
}

}  // namespace
}  // namespace branchcast
