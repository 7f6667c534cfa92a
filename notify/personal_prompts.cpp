#include "notify/personal_prompts.h"

#include <algorithm>
#include <cstdio>

namespace branchcast {
namespace {

constexpr char kEllipsis[] = "\xE2\x80\xA6";  // U+2026, 3 bytes

// Length of the valid UTF-8 character at text[i], 0 when the byte does not start one.
size_t char_len(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const size_t n = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

TimePoint next_minute(TimePoint now) {
  return std::chrono::floor<std::chrono::minutes>(now) + std::chrono::minutes(1);
}

std::string hh_mm(const LocalTime& lt) {
  char buf[32];
  const int m = lt.minute_of_day();
  std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
  return buf;
}

// "A", "A and B", "A, B and C" (at most three names, the rest left out).
std::string join_names(std::vector<std::string> names, const std::string& and_word) {
  if (names.size() > 3) names.resize(3);
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " " + and_word + " " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

std::string fit_utf8(std::string_view text, size_t max_bytes) {
  std::string clean;
  for (size_t i = 0; i < text.size();) {
    const size_t n = char_len(text, i);
    if (n == 0) {
      ++i;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    clean += (n == 1 && (c < 0x20 || c == 0x7f)) ? std::string(" ") : std::string(text.substr(i, n));
    i += n;
  }
  if (clean.size() <= max_bytes) return clean;
  if (max_bytes < sizeof kEllipsis - 1) return "";
  size_t end = 0;
  for (size_t i = 0; i < clean.size();) {
    const size_t n = char_len(clean, i);
    if (i + n > max_bytes - (sizeof kEllipsis - 1)) break;
    i += n;
    end = i;
  }
  std::string out = clean.substr(0, end);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + kEllipsis;
}

const char* to_string(PromptSkip s) {
  switch (s) {
    case PromptSkip::kNone: return "prompt chosen";
    case PromptSkip::kNothingDeclared: return "the patron declared no interests";
    case PromptSkip::kNothingRelevant: return "nothing near matches the patron's interests";
    case PromptSkip::kInFlight: return "a prompt is already on its way";
    case PromptSkip::kHeldBack: return "considered less than a minute ago";
  }
  return "?";
}

PersonalPrompts::PersonalPrompts(PromptTextOptions text) : text_(std::move(text)) {}

bool PersonalPrompts::wants(size_t patron, TimePoint now) const {
  auto it = patrons_.find(patron);
  return it == patrons_.end() || (!it->second.in_flight && now >= it->second.next_try);
}

std::vector<std::string> PersonalPrompts::prompted(size_t patron) const {
  auto it = patrons_.find(patron);
  if (it == patrons_.end()) return {};
  return {it->second.prompted.begin(), it->second.prompted.end()};
}

PromptDecision PersonalPrompts::decide(size_t patron, const std::vector<PromptCandidate>& ranked, int declared,
                                       TimePoint now) {
  PatronState& s = state(patron);
  PromptDecision d;
  if (s.in_flight) {
    d.skip = PromptSkip::kInFlight;
    return d;
  }
  if (now < s.next_try) {
    d.skip = PromptSkip::kHeldBack;
    return d;
  }
  s.next_try = next_minute(now);
  if (declared <= 0) {
    d.skip = PromptSkip::kNothingDeclared;
  } else {
    auto it = std::find_if(ranked.begin(), ranked.end(), [&](const PromptCandidate& c) {
      return c.relevance >= declared && !s.prompted.count(c.id);
    });
    if (it == ranked.end()) {
      d.skip = PromptSkip::kNothingRelevant;
    } else {
      Prompt p;
      p.prompt_id = it->id;
      p.content = compose(*it, now);
      d.prompt = std::move(p);
      s.in_flight = true;
    }
  }
  d.changed = !s.decided_once || d.skip != s.last;
  s.decided_once = true;
  s.last = d.skip;
  return d;
}

void PersonalPrompts::settle(size_t patron, const std::string& prompt_id, const std::optional<EnqueueResult>& result,
                             TimePoint now) {
  PatronState& s = state(patron);
  s.in_flight = false;
  s.next_try = std::max(s.next_try, next_minute(now));
  if (result && (result->queued || result->duplicate || result->verdict == PolicyVerdict::kRepeat))
    s.prompted.insert(prompt_id);
}

std::string PersonalPrompts::when_text(const PromptCandidate& c, TimePoint now) const {
  const PromptPhrases& ph = text_.phrases;
  const LocalTime today = text_.zone.to_local(now);
  if (c.start <= now) {
    if (c.all_day || c.end <= c.start) return ph.on_now;
    return ph.on_now + " " + ph.until + " " + hh_mm(text_.zone.to_local(c.end));
  }
  const LocalTime lt = text_.zone.to_local(c.start);
  const auto days = (lt.date - today.date).count();
  std::string day;
  if (days == 0) {
    day = ph.today;
  } else if (days == 1) {
    day = ph.tomorrow;
  } else {
    const std::string& wd = ph.weekdays[(lt.weekday().iso_encoding() - 1) % ph.weekdays.size()];
    day = wd;
    if (days >= 7) {
      const std::chrono::year_month_day ymd{lt.date};
      day += " " + std::to_string(static_cast<unsigned>(ymd.day())) + ph.day_suffix + " " +
             ph.months[(static_cast<unsigned>(ymd.month()) - 1) % ph.months.size()];
    }
  }
  return c.all_day ? day : day + " " + hh_mm(lt);
}

Notification PersonalPrompts::compose(const PromptCandidate& c, TimePoint now) const {
  const PromptPhrases& ph = text_.phrases;
  Notification n;
  // The branch is the sender (the title); the message says what, when and where, and why:
  // "Ann Cleeves in conversation - Tomorrow 19:00, Room B. Because you follow Ann Cleeves."
  n.title = fit_utf8(text_.branch_name.empty() ? c.title : text_.branch_name, text_.max_title_bytes);
  std::string what = c.title;
  std::string where;
  if (c.event) {
    where = " - " + when_text(c, now) + (c.location.empty() ? "" : ", " + c.location) + ".";
  } else {
    if (!c.creators.empty()) what += ", " + ph.by + " " + join_names(c.creators, ph.and_word);
    where = text_.branch_name.empty() ? "." : ". " + fill_phrase(ph.at_branch, text_.branch_name);
  }
  std::vector<std::string> why = c.authors_followed;
  why.insert(why.end(), c.subjects_followed.begin(), c.subjects_followed.end());
  std::string because = why.empty() ? "" : " " + fill_phrase(ph.because, join_names(why, ph.and_word));
  // Over the limit: the reason keeps up to a third, the item up to a third, when/where the rest.
  const size_t limit = text_.max_message_bytes;
  if (what.size() + where.size() + because.size() > limit) {
    because = because.empty() ? "" : " " + fit_utf8(because.substr(1), limit / 3 - 1);
    what = fit_utf8(what, limit / 3);
    where = fit_utf8(where, limit - what.size() - because.size());
  }
  n.message = fit_utf8(what + where + because, limit);
  if (c.url.size() <= text_.max_url_bytes) n.click = c.url;
  n.tags = {c.kind.empty() ? std::string("library") : c.kind};
  return n;
}

}  // namespace branchcast
