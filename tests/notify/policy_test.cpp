#include "notify/policy.h"

#include <gtest/gtest.h>

namespace branchcast {
namespace {

// Europe/London, week of Monday 2026-03-02 (GMT, offset 0).
TimePoint local(int day_of_march, int hh, int mm) {
  return TimePoint(sys_days(std::chrono::year{2026} / 3 / day_of_march)) + std::chrono::hours(hh) +
         std::chrono::minutes(mm);
}

PolicyConfig config() {
  PolicyConfig c;
  for (int d = 0; d < 5; ++d) c.opening_hours.by_weekday[d] = {TimeWindow{{9 * 60}, {20 * 60}}};
  c.opening_hours.by_weekday[5] = {TimeWindow{{10 * 60}, {17 * 60}}};
  c.opening_hours_given = true;
  c.quiet_hours = TimeWindow{{20 * 60}, {9 * 60}};
  c.max_per_patron_per_day = 1;
  c.bucket_capacity = 2;
  c.bucket_refill = Duration(60'000);
  return c;
}

TEST(Policy, OpeningHoursAtTheirEdges) {
  NotifyPolicy p(config(), TimeZone::load("Europe/London").value());
  EXPECT_EQ(p.check("ntfy://a", {}, local(2, 8, 59)), PolicyVerdict::kClosed);
  EXPECT_EQ(p.check("ntfy://a", {}, local(2, 9, 0)), PolicyVerdict::kAllow);
  EXPECT_EQ(p.check("ntfy://b", {}, local(2, 19, 59)), PolicyVerdict::kAllow);
  EXPECT_EQ(p.check("ntfy://c", {}, local(2, 20, 0)), PolicyVerdict::kClosed);
  EXPECT_EQ(p.check("ntfy://c", {}, local(8, 12, 0)), PolicyVerdict::kClosed);  // Sunday
  EXPECT_EQ(p.check("ntfy://c", {}, local(7, 16, 59)), PolicyVerdict::kAllow);  // Saturday
}

TEST(Policy, ClosuresAndSpecialHoursCloseTheBranchForPromptsToo) {
  PolicyConfig c = config();
  using std::chrono::year;
  c.closures = {{DateRange{year{2026} / 3 / 3, year{2026} / 3 / 3}, "Staff training", {}}};
  c.special_hours = {{DateRange{year{2026} / 3 / 4, year{2026} / 3 / 4}, {TimeWindow{{9 * 60}, {13 * 60}}}, {}}};
  NotifyPolicy p(c, TimeZone::load("Europe/London").value());
  EXPECT_EQ(p.check("a", {}, local(3, 12, 0)), PolicyVerdict::kClosed);
  EXPECT_EQ(p.check("b", {}, local(4, 12, 59)), PolicyVerdict::kAllow);
  EXPECT_EQ(p.check("c", {}, local(4, 13, 0)), PolicyVerdict::kClosed);
}

TEST(Policy, QuietHoursApplyEvenWhenOpen) {
  PolicyConfig c = config();
  c.opening_hours.by_weekday[0] = {TimeWindow{{8 * 60}, {22 * 60}}};
  NotifyPolicy p(c, TimeZone::load("Europe/London").value());
  EXPECT_EQ(p.check("x", {}, local(2, 8, 30)), PolicyVerdict::kQuietHours);
  EXPECT_EQ(p.check("x", {}, local(2, 21, 0)), PolicyVerdict::kQuietHours);
  EXPECT_EQ(p.check("x", {}, local(2, 9, 0)), PolicyVerdict::kAllow);
}

TEST(Policy, WithoutOpeningHoursOnlyQuietHoursRestrict) {
  PolicyConfig c = config();
  c.opening_hours_given = false;
  c.quiet_hours.reset();
  NotifyPolicy p(c, TimeZone::utc());
  EXPECT_EQ(p.check("x", {}, local(8, 3, 0)), PolicyVerdict::kAllow);
}

TEST(Policy, DailyLimitAndRepeats) {
  NotifyPolicy p(config(), TimeZone::load("Europe/London").value());
  EXPECT_EQ(p.check("x", RecipientHistory{1, false}, local(2, 10, 0)), PolicyVerdict::kDailyLimit);
  EXPECT_EQ(p.check("x", RecipientHistory{0, true}, local(2, 10, 0)), PolicyVerdict::kRepeat);
}

TEST(Policy, TokenBucketPerProviderRefills) {
  NotifyPolicy p(config(), TimeZone::load("Europe/London").value());
  TimePoint t = local(2, 10, 0);
  EXPECT_EQ(p.check("ntfy://a", {}, t), PolicyVerdict::kAllow);
  EXPECT_EQ(p.check("ntfy://a", {}, t), PolicyVerdict::kAllow);
  EXPECT_EQ(p.check("ntfy://a", {}, t), PolicyVerdict::kRateLimited);
  EXPECT_EQ(p.check("gotify://b", {}, t), PolicyVerdict::kAllow);  // its own bucket
  EXPECT_EQ(p.check("ntfy://a", {}, t + std::chrono::seconds(59)), PolicyVerdict::kRateLimited);
  EXPECT_EQ(p.check("ntfy://a", {}, t + std::chrono::seconds(60)), PolicyVerdict::kAllow);
}

TEST(Policy, LocalDayFollowsTheBranchZone) {
  NotifyPolicy p(config(), TimeZone::load("America/New_York").value());
  EXPECT_EQ(p.local_day(local(3, 3, 0)), "2026-03-02");  // 22:00 the evening before in New York
  EXPECT_EQ(p.local_day(local(3, 5, 0)), "2026-03-03");
}

}  // namespace
}  // namespace branchcast
