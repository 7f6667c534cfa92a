// PersonalPrompts (pure) with the real NotifyPolicy, on a fake clock: a refusal is not a prompt.
#include "notify/personal_prompts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "notify/policy.h"
#include "notify/webpush.h"
#include "tests/notify/prompt_candidates.h"

namespace branchcast {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using test_prompts::at;
using test_prompts::talk;

PromptCandidate knit() {
  PromptCandidate c;
  c.id = "knit-1";
  c.kind = "event";
  c.title = "Knit and natter";
  c.event = true;
  c.start = at("2026-12-08T19:00");
  c.end = at("2026-12-08T20:00");
  c.relevance = 0;
  return c;
}

PromptCandidate novel() {
  PromptCandidate c;
  c.id = "isbn:9781529050189";
  c.kind = "book";
  c.title = "The Dark Wives";
  c.creators = {"Ann Cleeves"};
  c.relevance = 2;
  c.authors_followed = {"Ann Cleeves"};
  c.subjects_followed = {"crime"};
  return c;
}

struct PersonalPromptsTest : ::testing::Test {
  TimeZone zone = TimeZone::load("Europe/London").value();
  PromptTextOptions text = [&] {
    PromptTextOptions t;
    t.branch_name = "Central Library";
    t.zone = zone;
    return t;
  }();
  PersonalPrompts prompts{text};
  NotifyPolicy policy{[] {
                        PolicyConfig c;
                        c.quiet_hours = TimeWindow{TimeOfDay{20 * 60}, TimeOfDay{9 * 60}};
                        c.max_per_patron_per_day = 1;
                        return c;
                      }(),
                      zone};
  std::map<std::string, int> queued_per_day;  // what the outbox's table would count

  // One sighting of patron 0: decide, then what the outbox would answer with the real policy.
  std::optional<EnqueueResult> sighting(const std::vector<PromptCandidate>& ranked, TimePoint now,
                                        PromptSkip* skip = nullptr) {
    if (!prompts.wants(0, now)) {
      if (skip) *skip = PromptSkip::kHeldBack;
      return std::nullopt;
    }
    PromptDecision d = prompts.decide(0, ranked, 2, now);
    if (skip) *skip = d.skip;
    if (!d.prompt) return std::nullopt;
    EnqueueResult r;
    RecipientHistory h;
    h.prompts_today = queued_per_day[policy.local_day(now)];
    r.verdict = policy.check("ntfy://ntfy.example.org", h, now);
    r.queued = r.verdict == PolicyVerdict::kAllow;
    if (r.queued) ++queued_per_day[policy.local_day(now)];
    prompts.settle(0, d.prompt->prompt_id, r, now);
    return r;
  }
};

TEST_F(PersonalPromptsTest, QuietHoursRefusalIsNotRecordedAndTheFirstSightingAfterThemPromptsOnce) {
  const std::vector<PromptCandidate> ranked = {talk(), knit()};
  // 08:59:30, quiet hours: refused, not recorded.
  auto r = sighting(ranked, at("2026-12-07T08:59:30"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, PolicyVerdict::kQuietHours);
  EXPECT_TRUE(prompts.prompted(0).empty());
  // 08:59:59.999: held back (considered this minute), still nothing recorded.
  EXPECT_FALSE(prompts.wants(0, at("2026-12-07T08:59:59") + std::chrono::milliseconds(999)));
  // 09:00:00: quiet hours are over; the same (best) pick goes now.
  r = sighting(ranked, at("2026-12-07T09:00:00"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, PolicyVerdict::kAllow);
  EXPECT_THAT(prompts.prompted(0), ::testing::ElementsAre("talk-1"));
  // Later sightings: the talk is never sent again, and Knit and natter (matches nothing) is never
  // the subject of a prompt.
  PromptSkip skip{};
  EXPECT_FALSE(sighting(ranked, at("2026-12-07T09:01:00"), &skip));
  EXPECT_EQ(skip, PromptSkip::kNothingRelevant);
  EXPECT_FALSE(sighting(ranked, at("2026-12-07T15:00:00"), &skip));
  EXPECT_EQ(skip, PromptSkip::kNothingRelevant);
}

TEST_F(PersonalPromptsTest, RefusedSightingsDoNotUseUpTheCandidates) {
  // The bug of issue 16: two refused sightings used to record both picks as prompted.
  const std::vector<PromptCandidate> ranked = {talk(), novel()};
  EXPECT_EQ(sighting(ranked, at("2026-12-07T21:00"))->verdict, PolicyVerdict::kQuietHours);
  EXPECT_EQ(sighting(ranked, at("2026-12-07T23:30"))->verdict, PolicyVerdict::kQuietHours);
  EXPECT_TRUE(prompts.prompted(0).empty());
  auto r = sighting(ranked, at("2026-12-08T09:10"));
  EXPECT_TRUE(r->queued);
  EXPECT_THAT(prompts.prompted(0), ::testing::ElementsAre("talk-1"));
}

TEST_F(PersonalPromptsTest, DailyCapAndRateLimitRefusalsAreNotRecorded) {
  const std::vector<PromptCandidate> ranked = {talk(), novel()};
  EXPECT_TRUE(sighting(ranked, at("2026-12-07T10:00"))->queued);
  // The daily cap refuses the next pick: not recorded, so tomorrow it can go.
  EXPECT_EQ(sighting(ranked, at("2026-12-07T10:05"))->verdict, PolicyVerdict::kDailyLimit);
  EXPECT_THAT(prompts.prompted(0), ::testing::ElementsAre("talk-1"));
  EXPECT_TRUE(sighting(ranked, at("2026-12-08T10:00"))->queued);
  EXPECT_EQ(prompts.prompted(0).size(), 2u);

  // A provider rate limit (and an outbox that could not queue at all) are not sends either.
  PersonalPrompts other{text};
  auto d = other.decide(3, ranked, 2, at("2026-12-07T10:00"));
  ASSERT_TRUE(d.prompt);
  EXPECT_FALSE(other.wants(3, at("2026-12-07T10:30")));  // in flight until the answer
  EnqueueResult limited;
  limited.verdict = PolicyVerdict::kRateLimited;
  other.settle(3, d.prompt->prompt_id, limited, at("2026-12-07T10:00:02"));
  EXPECT_TRUE(other.prompted(3).empty());
  EXPECT_TRUE(other.wants(3, at("2026-12-07T10:01")));
  d = other.decide(3, ranked, 2, at("2026-12-07T10:01"));
  ASSERT_TRUE(d.prompt);
  EXPECT_EQ(d.prompt->prompt_id, "talk-1");
  other.settle(3, d.prompt->prompt_id, std::nullopt, at("2026-12-07T10:01"));
  EXPECT_TRUE(other.prompted(3).empty());
  // Already in the ledger from an earlier run: recorded, the next sighting moves on.
  d = other.decide(3, ranked, 2, at("2026-12-07T10:02"));
  EnqueueResult repeat;
  repeat.verdict = PolicyVerdict::kRepeat;
  other.settle(3, d.prompt->prompt_id, repeat, at("2026-12-07T10:02"));
  EXPECT_THAT(other.prompted(3), ::testing::ElementsAre("talk-1"));
  EXPECT_EQ(other.decide(3, ranked, 2, at("2026-12-07T10:03")).prompt->prompt_id, novel().id);
}

TEST_F(PersonalPromptsTest, NoInterestsOrNothingRelevantMeansNoPromptAndSaysWhy) {
  auto d = prompts.decide(0, {talk(), knit()}, 0, at("2026-12-07T10:00"));
  EXPECT_FALSE(d.prompt);
  EXPECT_EQ(d.skip, PromptSkip::kNothingDeclared);
  EXPECT_TRUE(d.changed);
  d = prompts.decide(1, {knit()}, 2, at("2026-12-07T10:00"));
  EXPECT_FALSE(d.prompt);
  EXPECT_EQ(d.skip, PromptSkip::kNothingRelevant);
  EXPECT_STREQ(to_string(d.skip), "nothing near matches the patron's interests");
  d = prompts.decide(1, {knit()}, 2, at("2026-12-07T10:01"));
  EXPECT_FALSE(d.changed);  // said once, not on every sighting
  d = prompts.decide(2, {}, 2, at("2026-12-07T10:00"));
  EXPECT_EQ(d.skip, PromptSkip::kNothingRelevant);
  // A patron who declared only ages: level 1 items are relevant.
  PromptCandidate teen = knit();
  teen.relevance = 1;
  EXPECT_TRUE(prompts.decide(4, {teen}, 1, at("2026-12-07T10:00")).prompt);
}

TEST_F(PersonalPromptsTest, TextNamesTheItemWhenWhereAndWhy) {
  Notification n = prompts.compose(talk(), at("2026-12-07T10:00"));
  EXPECT_EQ(n.title, "Central Library");
  EXPECT_EQ(n.message, "Ann Cleeves in conversation - Tomorrow 19:00, Room B. Because you follow Ann Cleeves.");
  EXPECT_EQ(n.click, "https://library.example.org/events/talk-1");
  EXPECT_THAT(n.tags, ::testing::ElementsAre("event"));
  EXPECT_EQ(prompts.compose(talk(), at("2026-12-08T08:00")).message,
            "Ann Cleeves in conversation - Today 19:00, Room B. Because you follow Ann Cleeves.");
  EXPECT_EQ(prompts.when_text(talk(), at("2026-12-08T19:30")), "On now until 20:00");
  EXPECT_EQ(prompts.when_text(talk(), at("2026-12-04T10:00")), "Tue 19:00");
  EXPECT_EQ(prompts.when_text(talk(), at("2026-11-20T10:00")), "Tue 8 Dec 19:00");
  n = prompts.compose(novel(), at("2026-12-07T10:00"));
  EXPECT_EQ(n.message, "The Dark Wives, by Ann Cleeves. At Central Library. Because you follow Ann Cleeves and crime.");
  // Summer time: the branch's zone, not UTC.
  PromptCandidate summer = talk();
  summer.start = at("2026-07-01T19:00");
  summer.end = summer.start + std::chrono::hours(1);
  EXPECT_EQ(prompts.when_text(summer, at("2026-07-01T09:00")), "Today 19:00");

  PromptTextOptions welsh = text;
  welsh.phrases.tomorrow = "Yfory";
  welsh.phrases.because = "Oherwydd eich bod yn dilyn";
  EXPECT_EQ(PersonalPrompts(welsh).compose(talk(), at("2026-12-07T10:00")).message,
            "Ann Cleeves in conversation - Yfory 19:00, Room B. Oherwydd eich bod yn dilyn Ann Cleeves.");
}

TEST_F(PersonalPromptsTest, TextStaysWithinProviderLimits) {
  PromptTextOptions big = text;
  for (int i = 0; i < 500; ++i) big.branch_name += "\xC3\xA9";  // é, 1000 bytes
  PersonalPrompts p(big);
  PromptCandidate c = talk();
  c.title = std::string(3000, 'T');
  c.location = std::string(5000, 'R');
  c.authors_followed = {std::string(300, 'A'), "crime\x01\xff"};
  c.url = "https://x.example/" + std::string(5000, 'u');
  Notification n = p.compose(c, at("2026-12-07T10:00"));
  EXPECT_LE(n.title.size(), big.max_title_bytes);
  EXPECT_LE(n.message.size(), big.max_message_bytes);
  EXPECT_EQ(n.title.substr(n.title.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(fit_utf8(n.title, 1000), n.title);  // valid UTF-8 throughout
  EXPECT_EQ(fit_utf8(n.message, 1000), n.message);
  EXPECT_THAT(n.message, HasSubstr("TTTT"));               // the item,
  EXPECT_THAT(n.message, HasSubstr("Tomorrow 19:00, RRR"));  // when and where,
  EXPECT_THAT(n.message, HasSubstr("Because you follow"));   // and why survive the cut
  EXPECT_THAT(n.message, Not(HasSubstr("\x01")));
  EXPECT_TRUE(n.click.empty());  // too long to cut: left out
  EXPECT_LE(webpush_payload(n).size(), kWebPushMaxPlaintext);
  EXPECT_EQ(fit_utf8("abc\xE2\x80", 10), "abc");
  EXPECT_EQ(fit_utf8("abcdef", 4), "a\xE2\x80\xA6");
}

}  // namespace
}  // namespace branchcast
