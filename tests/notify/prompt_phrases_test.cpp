// Prompt wording per branch language (issue 16 item 6): every language names the item, when and
// where, and why, and stays within the providers' limits (ntfy body and Title header, Web Push).
#include "notify/prompt_phrases.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/language.h"
#include "notify/http_providers.h"
#include "notify/personal_prompts.h"
#include "notify/provider_url.h"
#include "notify/webpush.h"
#include "tests/notify/prompt_candidates.h"

namespace branchcast {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using test_prompts::at;
using test_prompts::talk;

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

PersonalPrompts prompts_in(std::string_view language, std::string branch = "Central Library") {
  PromptTextOptions t;
  t.branch_name = std::move(branch);
  t.zone = TimeZone::load("Europe/London").value();
  t.phrases = prompt_phrases(language);
  return PersonalPrompts(std::move(t));
}

struct Expected {
  const char* language;
  const char* talk_tomorrow;   // compose(talk) the day before
  const char* novel;           // compose(novel)
  const char* on_now;          // when_text during the talk
  const char* far;             // when_text 18 days before
};

const Expected kExpected[] = {
    {"en", "Ann Cleeves in conversation - Tomorrow 19:00, Room B. Because you follow Ann Cleeves.",
     "The Dark Wives, by Ann Cleeves. At Central Library. Because you follow Ann Cleeves and crime.",
     "On now until 20:00", "Tue 8 Dec 19:00"},
    {"cy", "Ann Cleeves in conversation - Yfory 19:00, Room B. Oherwydd eich bod yn dilyn Ann Cleeves.",
     "The Dark Wives, gan Ann Cleeves. Yn Central Library. Oherwydd eich bod yn dilyn Ann Cleeves a crime.",
     "Ymlaen nawr tan 20:00", "Maw 8 Rhag 19:00"},
    {"de", "Ann Cleeves in conversation - Morgen 19:00, Room B. Weil Sie Ann Cleeves folgen.",
     "The Dark Wives, von Ann Cleeves. In Central Library. Weil Sie Ann Cleeves und crime folgen.",
     "L\xC3\xA4uft jetzt bis 20:00", "Di 8. Dez. 19:00"},
    {"es", "Ann Cleeves in conversation - Ma\xC3\xB1" "ana 19:00, Room B. Porque sigues a Ann Cleeves.",
     "The Dark Wives, de Ann Cleeves. En Central Library. Porque sigues a Ann Cleeves y crime.",
     "En curso hasta las 20:00", "mar 8 dic 19:00"},
    {"fr", "Ann Cleeves in conversation - Demain 19:00, Room B. Parce que vous suivez Ann Cleeves.",
     "The Dark Wives, de Ann Cleeves. \xC3\x80 Central Library. Parce que vous suivez Ann Cleeves et crime.",
     "En cours jusqu\xE2\x80\x99\xC3\xA0 20:00", "mar. 8 d\xC3\xA9" "c. 19:00"},
    {"nl", "Ann Cleeves in conversation - Morgen 19:00, Room B. Omdat u Ann Cleeves volgt.",
     "The Dark Wives, door Ann Cleeves. In Central Library. Omdat u Ann Cleeves en crime volgt.",
     "Nu bezig tot 20:00", "di 8 dec 19:00"},
};

TEST(PromptPhrases, EveryConfigLanguageHasItsOwnTable) {
  ASSERT_EQ(std::size(kExpected), prompt_languages().size());
  for (std::string_view l : prompt_languages()) {
    if (l == "en") continue;
    EXPECT_NE(prompt_phrases(l).because, prompt_phrases("en").because) << l;
    EXPECT_EQ(prompt_phrases(l).weekdays.size(), 7u) << l;
    EXPECT_EQ(prompt_phrases(l).months.size(), 12u) << l;
  }
  // Regions and case do not matter; anything else is English.
  EXPECT_EQ(prompt_phrases("fr-CA").because, prompt_phrases("fr").because);
  EXPECT_EQ(prompt_phrases("CY-GB").today, "Heddiw");
  EXPECT_EQ(prompt_phrases("it").because, prompt_phrases("en").because);
  EXPECT_EQ(prompt_phrases("").today, "Today");
  EXPECT_EQ(prompt_phrases("fr_FR").today, "Today");  // not a tag (the loader says so)
}

TEST(PromptPhrases, EachLanguageNamesTheItemWhenWhereAndWhy) {
  for (const Expected& e : kExpected) {
    SCOPED_TRACE(e.language);
    PersonalPrompts p = prompts_in(e.language);
    EXPECT_EQ(p.compose(talk(), at("2026-12-07T10:00")).message, e.talk_tomorrow);
    EXPECT_EQ(p.compose(novel(), at("2026-12-07T10:00")).message, e.novel);
    EXPECT_EQ(p.when_text(talk(), at("2026-12-08T19:30")), e.on_now);
    EXPECT_EQ(p.when_text(talk(), at("2026-11-20T10:00")), e.far);
    EXPECT_EQ(p.compose(talk(), at("2026-12-07T10:00")).title, "Central Library");
  }
}

// The same hostile sizes as PersonalPromptsTest.TextStaysWithinProviderLimits, in every language:
// ntfy's message limit (4 KiB body) and its Title header, and the Web Push payload.
TEST(PromptPhrases, EachLanguageStaysWithinProviderLimits) {
  auto ntfy = parse_provider_url("ntfy://ntfy.example.org/branch", SecretSource{});
  ASSERT_TRUE(ntfy.ok()) << ntfy.error().message;
  std::string branch;
  for (int i = 0; i < 500; ++i) branch += "\xC3\xA9";  // é, 1000 bytes
  for (std::string_view l : prompt_languages()) {
    SCOPED_TRACE(std::string(l));
    PromptTextOptions defaults;
    PersonalPrompts p = prompts_in(l, branch);
    for (PromptCandidate c : {talk(), novel()}) {
      c.title = std::string(3000, 'T');
      c.location = std::string(5000, 'R');
      c.creators = {std::string(2000, 'C')};
      c.authors_followed = {std::string(300, 'A'), "crime\x01\xff"};
      c.subjects_followed = {std::string(400, 'S')};
      c.url = "https://x.example/" + std::string(5000, 'u');
      for (TimePoint now : {at("2026-12-07T10:00"), at("2026-12-08T19:30"), at("2026-11-01T10:00")}) {
        Notification n = p.compose(c, now);
        EXPECT_LE(n.title.size(), defaults.max_title_bytes);
        EXPECT_LE(n.message.size(), defaults.max_message_bytes);
        EXPECT_EQ(fit_utf8(n.message, 100000), n.message);  // valid UTF-8, no control bytes
        EXPECT_EQ(fit_utf8(n.title, 100000), n.title);
        EXPECT_THAT(n.message, StartsWith("TTTT"));  // the item,
        if (c.event) {
          EXPECT_THAT(n.message, HasSubstr(p.when_text(c, now)));  // when,
        }
        const std::string& because = prompt_phrases(l).because;
        EXPECT_THAT(n.message, HasSubstr(because.substr(0, because.find(' '))));  // and why
        EXPECT_LE(webpush_payload(n).size(), kWebPushMaxPlaintext);
        auto request = build_ntfy_request(*ntfy, n);
        ASSERT_TRUE(request.ok());
        EXPECT_LE(request->body.size(), 4096u);
        for (const auto& [name, value] : request->headers) EXPECT_LE(value.size(), 998u) << name;
      }
    }
  }
}

}  // namespace
}  // namespace branchcast
