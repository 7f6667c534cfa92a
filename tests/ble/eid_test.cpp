#include "ble/eid.h"

#include <gtest/gtest.h>

#include "ble/advert.h"

namespace branchcast::ble {
namespace {

IdentityKey key_of(std::string_view h) {
  IdentityKey k{};
  auto b = parse_hex(h).value();
  std::copy(b.begin(), b.end(), k.begin());
  return k;
}

TimePoint at_s(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

// Published vector (identity key 00112233..eeff, counter 1518080946, K = 12), as used by Eddystone
// scanner implementations: temporary key b7c2d909..., EID 7dd8169dae94258c.
TEST(EidTest, KnownAnswer) {
  const auto key = key_of("00112233445566778899aabbccddeeff");
  const auto temp = eid_temporary_key(key, 1518080946);
  EXPECT_EQ(hex(temp), "b7c2d909d27d22df8343271162480210");
  EXPECT_EQ(hex(compute_eid(key, 1518080946, 12)), "7dd8169dae94258c");
}

TEST(EidTest, ChangesOnlyAtPeriodBoundaries) {
  const auto key = key_of("7b0c1e5d9a3f42e1b6c8d0f2a4e6c8b0");
  EXPECT_EQ(compute_eid(key, 1024, 10), compute_eid(key, 2047, 10));
  EXPECT_NE(compute_eid(key, 2047, 10), compute_eid(key, 2048, 10));
  EXPECT_EQ(eid_counter(100, at_s(99)), std::nullopt);
  EXPECT_EQ(eid_counter(100, at_s(1124)), 1024u);
}

TEST(EidTest, ResolverFindsCurrentPreviousAndNextPeriods) {
  const int64_t epoch = 1767225600;
  std::vector<EidEnrollment> patrons;
  for (int i = 0; i < 50; ++i) {
    IdentityKey k{};
    k[0] = static_cast<uint8_t>(i);
    k[15] = 0x5a;
    patrons.push_back({k, epoch + i, 10});
  }
  EidResolver resolver(patrons);
  const auto now = at_s(epoch + 100'000);
  const uint32_t c = *eid_counter(patrons[7].epoch, now);
  EXPECT_EQ(resolver.resolve(compute_eid(patrons[7].key, c, 10), now), 7u);
  EXPECT_EQ(resolver.resolve(compute_eid(patrons[7].key, c - 1024, 10), now), 7u);  // one period late
  EXPECT_EQ(resolver.resolve(compute_eid(patrons[7].key, c + 1024, 10), now), 7u);  // one period early
  EXPECT_EQ(resolver.resolve(compute_eid(patrons[7].key, c - 2048, 10), now), std::nullopt);
  Eid unknown{};
  EXPECT_EQ(resolver.resolve(unknown, now), std::nullopt);
  // After the period rolls twice, the old identifier is forgotten and the new one is known.
  const auto later = now + std::chrono::seconds(2048);
  EXPECT_EQ(resolver.resolve(compute_eid(patrons[7].key, c, 10), later), std::nullopt);
  EXPECT_EQ(resolver.resolve(compute_eid(patrons[7].key, c + 2048, 10), later), 7u);
  EXPECT_GT(resolver.next_change(), later);
}

TEST(EidTest, ResolverIgnoresPatronsBeforeTheirEpoch) {
  EidResolver resolver({{key_of("000102030405060708090a0b0c0d0e0f"), 2'000'000'000, 10}});
  EXPECT_EQ(resolver.resolve(compute_eid(key_of("000102030405060708090a0b0c0d0e0f"), 0, 10), at_s(1'999'999'000)),
            std::nullopt);
  EXPECT_EQ(resolver.resolve(compute_eid(key_of("000102030405060708090a0b0c0d0e0f"), 0, 10), at_s(2'000'000'001)), 0u);
}

}  // namespace
}  // namespace branchcast::ble
