#include "common/time_zone.h"

#include <gtest/gtest.h>

namespace branchcast {
namespace {

using namespace std::chrono;

TEST(TimeZone, UnknownZoneIsAnError) {
  auto z = TimeZone::load("Mars/Olympus_Mons");
  ASSERT_FALSE(z.ok());
  EXPECT_NE(z.error().message.find("Mars/Olympus_Mons"), std::string::npos);
}

TEST(TimeZone, FormatsWithOffsetAcrossDst) {
  auto london = *TimeZone::load("Europe/London");
  auto winter = *london.parse_iso("2026-03-02T09:15");
  EXPECT_EQ(london.format_iso(winter), "2026-03-02T09:15:00+00:00");
  auto summer = *london.parse_iso("2026-07-02T09:15");
  EXPECT_EQ(london.format_iso(summer), "2026-07-02T09:15:00+01:00");
  EXPECT_EQ(summer, *london.parse_iso("2026-07-02T08:15:00Z"));
}

TEST(TimeZone, SpringForwardGapAndFallBackRepeat) {
  auto ny = *TimeZone::load("America/New_York");
  local_days spring{year{2026} / March / 8};
  EXPECT_TRUE(ny.from_local_all(spring, hours(2) + minutes(30)).empty());
  // In the gap, from_local gives the instant the gap ends (03:00 EDT = 07:00 UTC).
  EXPECT_EQ(ny.format_iso(ny.from_local(spring, hours(2) + minutes(30))), "2026-03-08T03:00:00-04:00");
  local_days fall{year{2026} / November / 1};
  auto both = ny.from_local_all(fall, hours(1) + minutes(30));
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1] - both[0], hours(1));
  EXPECT_EQ(ny.format_iso(both[0]), "2026-11-01T01:30:00-04:00");
  EXPECT_EQ(ny.format_iso(both[1]), "2026-11-01T01:30:00-05:00");
}

TEST(TimeZone, NextOffsetChange) {
  auto london = *TimeZone::load("Europe/London");
  auto t = *london.parse_iso("2026-03-01T00:00");
  EXPECT_EQ(london.format_iso(london.next_offset_change(t)), "2026-03-29T02:00:00+01:00");
  EXPECT_EQ(TimeZone::utc().next_offset_change(t), TimePoint::max());
}

TEST(TimeZone, ParseRejectsGarbage) {
  auto utc = TimeZone::utc();
  for (const char* bad : {"", "2026-13-01T00:00", "2026-03-02T25:00", "2026-03-02T09:15+1", "yesterday"})
    EXPECT_FALSE(utc.parse_iso(bad).ok()) << bad;
}

TEST(TimeParsing, Durations) {
  EXPECT_EQ(*parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(*parse_duration("15m"), minutes(15));
  EXPECT_EQ(*parse_duration("7d"), days(7));
  EXPECT_FALSE(parse_duration("10").ok());
  EXPECT_FALSE(parse_duration("1.5s").ok());
  EXPECT_FALSE(parse_duration("-3s").ok());
  EXPECT_FALSE(parse_duration("99999999999d").ok());
  EXPECT_EQ(format_seconds(milliseconds(12'049)), "12.0s");
  EXPECT_EQ(format_seconds(milliseconds(12'050)), "12.1s");
  EXPECT_EQ(format_duration(minutes(15)), "15m");
}

TEST(TimeParsing, WindowsAndDates) {
  auto w = *parse_time_window("22:00-02:00");
  EXPECT_TRUE(w.crosses_midnight());
  EXPECT_EQ(parse_time_window("18:00-24:00")->end.minutes, 1440);
  EXPECT_FALSE(parse_time_window("00:00-24:00")->crosses_midnight());
  EXPECT_FALSE(parse_time_window("24:00-01:00").ok());
  EXPECT_FALSE(parse_time_window("09:00-09:00").ok());
  EXPECT_FALSE(parse_time_window("9:00-10:00").ok());
  EXPECT_TRUE(parse_date("2028-02-29").ok());
  EXPECT_FALSE(parse_date("2026-02-29").ok());
}

}  // namespace
}  // namespace branchcast
