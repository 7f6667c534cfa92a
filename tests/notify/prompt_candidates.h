// Shared fixtures of the prompt tests (personal_prompts_test, prompt_phrases_test): London times
// and the "Ann Cleeves in conversation" event a patron who follows Ann Cleeves is prompted about.
#pragma once

#include "common/time.h"
#include "notify/personal_prompts.h"

namespace branchcast::test_prompts {

inline TimePoint at(const char* iso) { return TimeZone::load("Europe/London").value().parse_iso(iso).value(); }

inline PromptCandidate talk() {
  PromptCandidate c;
  c.id = "talk-1";
  c.kind = "event";
  c.title = "Ann Cleeves in conversation";
  c.event = true;
  c.start = at("2026-12-08T19:00");
  c.end = at("2026-12-08T20:00");
  c.location = "Room B";
  c.url = "https://library.example.org/events/talk-1";
  c.relevance = 2;
  c.authors_followed = {"Ann Cleeves"};
  return c;
}

}  // namespace branchcast::test_prompts
