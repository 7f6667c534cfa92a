#include <gtest/gtest.h>

#include "config/loader_values.h"

namespace branchcast {
namespace {

using Days = std::array<bool, 7>;

TEST(Weekdays, SingleDayRangeAndWrap) {
  EXPECT_EQ(*parse_weekdays("sat"), (Days{false, false, false, false, false, true, false}));
  EXPECT_EQ(*parse_weekdays("mon-fri"), (Days{true, true, true, true, true, false, false}));
  EXPECT_EQ(*parse_weekdays("fri-mon"), (Days{true, false, false, false, true, true, true}));
  EXPECT_EQ(*parse_weekdays("Sun"), (Days{false, false, false, false, false, false, true}));
  EXPECT_EQ(*parse_weekdays("wed-wed"), (Days{false, false, true, false, false, false, false}));
  EXPECT_FALSE(parse_weekdays("funday").ok());
  EXPECT_FALSE(parse_weekdays("mon-").ok());
  EXPECT_FALSE(parse_weekdays("monday").ok());
}

TEST(Resolution, ParsesAndRejects) {
  auto r = parse_resolution("1920x1080");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, 1920);
  EXPECT_EQ(r->second, 1080);
  EXPECT_FALSE(parse_resolution("1920x").ok());
  EXPECT_FALSE(parse_resolution("1920X1080").ok());
  EXPECT_FALSE(parse_resolution("-1x5").ok());
  EXPECT_FALSE(parse_resolution("8x8").ok());
  EXPECT_FALSE(parse_resolution("99999x1080").ok());
}

TEST(Uuid, ParsesBytesAndRejectsBadForms) {
  auto u = parse_uuid("2f234454-cf6d-4a0f-adf2-f4911ba9ffa6");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ((*u)[0], 0x2f);
  EXPECT_EQ((*u)[15], 0xa6);
  EXPECT_TRUE(parse_uuid("2F234454-CF6D-4A0F-ADF2-F4911BA9FFA6").ok());
  EXPECT_FALSE(parse_uuid("2f234454cf6d4a0fadf2f4911ba9ffa6").ok());
  EXPECT_FALSE(parse_uuid("2f234454-cf6d-4a0f-adf2-f4911ba9ffaz").ok());
  EXPECT_FALSE(parse_uuid("2f234454-cf6d-4a0f-adf2f-4911ba9ffa6").ok());
}

TEST(PatronKey, ParsesAndNeverEchoes) {
  auto k = parse_patron_key("7b0c1e5d9a3f42e1b6c8d0f2a4e6c8b0");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ((*k)[0], 0x7b);
  EXPECT_EQ((*k)[15], 0xb0);
  for (const char* bad : {"7b0c1e5d9a3f42e1b6c8d0f2a4e6c8", "7b0c1e5d9a3f42e1b6c8d0f2a4e6c8bz",
                          "7b0c1e5d9a3f42e1b6c8d0f2a4e6c8b0aa"}) {
    auto r = parse_patron_key(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.find("7b0c"), std::string::npos);
  }
}

TEST(DateRange, InclusiveRangeOrSingleDay) {
  auto r = parse_date_range("2026-01-05..2026-03-31");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(format_date(r->first), "2026-01-05");
  EXPECT_EQ(format_date(r->last), "2026-03-31");
  auto one = parse_date_range("2028-02-29");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->first, one->last);
  EXPECT_FALSE(parse_date_range("2026-03-31..2026-01-05").ok());
  EXPECT_FALSE(parse_date_range("2026-02-30..2026-03-01").ok());
  EXPECT_FALSE(parse_date_range("2026-01-05..").ok());
}

TEST(ListenAddress, HostAndPort) {
  EXPECT_TRUE(check_listen_address("127.0.0.1:8642").ok());
  EXPECT_TRUE(check_listen_address("[::1]:8642").ok());
  EXPECT_TRUE(check_listen_address("localhost:80").ok());
  EXPECT_FALSE(check_listen_address("127.0.0.1").ok());
  EXPECT_FALSE(check_listen_address("127.0.0.1:0").ok());
  EXPECT_FALSE(check_listen_address("127.0.0.1:70000").ok());
  EXPECT_FALSE(check_listen_address("::1:8642").ok());
  EXPECT_FALSE(check_listen_address(":8642").ok());
}

TEST(NotifyUrl, SchemesOfSectionFour) {
  for (const char* ok : {"ntfy://ntfy.example.org/central", "ntfys://host/topic", "gotify://host/${TOKEN}",
                         "webhook+https://host/path?secret=${SECRET}", "fcm://project-id?key=/path/sa.json",
                         "mailto://user:${PASS}@smtp.host/to@x.org", "mqtt://broker:1883/topic"})
    EXPECT_TRUE(check_notify_url(ok, false).ok()) << ok;
  EXPECT_TRUE(check_notify_url("webpush", true).ok());
  EXPECT_FALSE(check_notify_url("webpush", false).ok());
  EXPECT_FALSE(check_notify_url("https://example.org/hook", false).ok());
  EXPECT_FALSE(check_notify_url("ntfy://", false).ok());
  EXPECT_FALSE(check_notify_url("just text", false).ok());
  auto r = check_notify_url("gotify-secret-abc://x/y", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find("/y"), std::string::npos);
}

}  // namespace
}  // namespace branchcast
