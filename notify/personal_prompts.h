// Personal prompts for recognised patrons (formats.md section 5, path 3): which ranked item, if any,
// becomes a patron's prompt, what the prompt says, and what counts as "already prompted".
//
// Pure: time is a value; no clock, no I/O, no locks. The owner (appliance/nearby_prompts, loop
// thread) hands it the patron's ranking, queues the prompt it returns in the outbox, and gives the
// outbox's answer back with settle(). Patrons are indices into the owner's list: no identifier of
// a patron is kept here, and nothing here logs.
//
// Contract:
// - Only an item that matches what the patron declared (PromptCandidate::relevance >= the ranking's
//   `declared` level, which is > 0) can be a prompt. Nothing declared, or nothing relevant near:
//   no prompt, and decide() says why (PromptSkip).
// - A prompt counts as sent ("already prompted", never picked again this run) only when the outbox
//   queued it, or says it was already sent or queued (its ledger). A pick the policy refuses (closed,
//   quiet hours, daily cap, rate limit) or that fails to queue is NOT recorded: the same patron's
//   next sighting after the cause ends may prompt once.
// - While a pick is in flight (decided, not yet settled) the patron is not considered again. After
//   any decision or answer, the patron is next considered at the next whole minute: quiet and opening
//   hours change on whole minutes, so the first sighting after they end is never held back, and a
//   patron standing near the beacon costs one ranking a minute, not one per advert.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/time_zone.h"
#include "notify/outbox.h"
#include "notify/prompt_phrases.h"

namespace branchcast {

// One ranked item, as the prompt needs it (built by the owner from the recommender's ranking).
struct PromptCandidate {
  std::string id;                  // the item's id: the prompt id (ledger, idempotency)
  std::string kind;                // "book", "event", ...
  std::string title;
  std::vector<std::string> creators;  // a title's authors
  bool event = false;
  bool all_day = false;
  TimePoint start{};               // events
  TimePoint end{};
  std::string location;            // events: the room or place, "" when not given
  std::string url;                 // opened when the prompt is tapped, "" when none
  int relevance = 0;               // recommend/ranker.h: 2 declared author/subject, 1 ages, 0 none
  std::vector<std::string> authors_followed;   // declared interests it matched, as declared
  std::vector<std::string> subjects_followed;
};

struct PromptTextOptions {
  std::string branch_name;
  TimeZone zone = TimeZone::utc();
  PromptPhrases phrases;  // prompt_phrases(settings.branch.language)
  // Within every provider's limits with room to spare: ntfy (message 4 KiB, title a header line),
  // Web Push (the whole JSON payload under 3993 bytes), FCM and email alike. Bytes of UTF-8, cut on
  // a character boundary with "…".
  size_t max_title_bytes = 120;
  size_t max_message_bytes = 480;
  size_t max_url_bytes = 1024;    // a longer link is left out rather than cut
};

enum class PromptSkip {
  kNone,             // a prompt was chosen
  kNothingDeclared,  // the patron declared no interests: never prompted
  kNothingRelevant,  // nothing near matches the patron's interests
  kInFlight,         // a prompt for this patron awaits the outbox's answer
  kHeldBack,         // considered less than a minute ago
};
const char* to_string(PromptSkip s);

struct PromptDecision {
  std::optional<Prompt> prompt;
  PromptSkip skip = PromptSkip::kNone;
  bool changed = false;  // the outcome differs from this patron's previous one (worth one log line)
};

class PersonalPrompts {
 public:
  explicit PersonalPrompts(PromptTextOptions text);

  // False while in flight or held back: the owner may skip ranking entirely.
  bool wants(size_t patron, TimePoint now) const;
  // The ids already prompted to this patron this run (the ranking's exclusions).
  std::vector<std::string> prompted(size_t patron) const;
  // Picks the first candidate (ranking order) matching what the patron declared (`declared`, the
  // ranking's level) and not already prompted, and words it. A chosen prompt puts the patron in
  // flight until settle().
  PromptDecision decide(size_t patron, const std::vector<PromptCandidate>& ranked, int declared, TimePoint now);
  // The outbox's answer for the prompt decide() chose (nullopt: it could not be queued at all).
  void settle(size_t patron, const std::string& prompt_id, const std::optional<EnqueueResult>& result,
              TimePoint now);

  // The notification for one candidate at `now`: title = the branch's name; message = the item,
  // when and where, and why ("Ann Cleeves in conversation - Tomorrow 19:00, Room B. Because you
  // follow Ann Cleeves."; a title: "The Raven Black, by Ann Cleeves. At Central Library. Because
  // you follow Ann Cleeves.").
  Notification compose(const PromptCandidate& c, TimePoint now) const;
  // "Today 19:00", "Tomorrow 10:30", "Thu 19:00" (within a week), "Thu 10 Dec 19:00", "On now
  // until 20:00"; all-day events without a time.
  std::string when_text(const PromptCandidate& c, TimePoint now) const;

 private:
  struct PatronState {
    std::set<std::string> prompted;
    bool in_flight = false;
    TimePoint next_try{};
    PromptSkip last = PromptSkip::kNone;
    bool decided_once = false;
  };
  PatronState& state(size_t patron) { return patrons_[patron]; }

  PromptTextOptions text_;
  std::map<size_t, PatronState> patrons_;
};

// `text` cut to at most `max_bytes` bytes on a UTF-8 character boundary, with "…" when cut.
// Invalid UTF-8 bytes are dropped.
std::string fit_utf8(std::string_view text, size_t max_bytes);

}  // namespace branchcast
