#include "notify/backoff.h"

#include <gtest/gtest.h>

namespace branchcast {
namespace {

TimePoint at(int64_t unix_seconds) { return TimePoint(std::chrono::seconds(unix_seconds)); }

TEST(Backoff, FullJitterIsUniformUpToTheCappedExponential) {
  BackoffPolicy p{Duration(1000), Duration(60'000)};
  EXPECT_EQ(full_jitter_delay(p, 0, 0.0), Duration(0));
  EXPECT_EQ(full_jitter_delay(p, 0, 0.5), Duration(500));
  EXPECT_EQ(full_jitter_delay(p, 3, 0.5), Duration(4000));
  EXPECT_EQ(full_jitter_delay(p, 20, 0.999), Duration(59'940));  // capped
  EXPECT_EQ(full_jitter_delay(p, 1000, 1.0), Duration(60'000));
}

TEST(Backoff, RetryAfterSeconds) {
  EXPECT_EQ(parse_retry_after("120", at(0)), Duration(120'000));
  EXPECT_EQ(parse_retry_after(" 0 ", at(0)), Duration(0));
  EXPECT_FALSE(parse_retry_after("-5", at(0)));
  EXPECT_FALSE(parse_retry_after("soon", at(0)));
}

TEST(Backoff, RetryAfterHttpDateInAllThreeForms) {
  TimePoint now = at(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(format_http_date(now), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT", now), Duration(120'000));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:50:37 GMT", now), Duration(60'000));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:47 1994", now), Duration(10'000));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Duration(0));  // past
  EXPECT_FALSE(parse_retry_after("Sun, 31 Feb 1994 08:00:00 GMT", now));
}

}  // namespace
}  // namespace branchcast
