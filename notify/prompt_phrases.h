// The words of a personal prompt, per language (issue 16 item 6). A small table per language:
// the item ("by"), when ("Today", weekdays, months), where ("At {}") and why ("Because you follow
// {}"). Pure data; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace branchcast {

// English by default. In `at_branch` and `because`, "{}" stands for the branch's name and for the
// matched interests; without "{}" the phrase is followed by a space, the names and ".".
struct PromptPhrases {
  std::string today = "Today";
  std::string tomorrow = "Tomorrow";
  std::string on_now = "On now";
  std::string until = "until";
  std::string at_branch = "At {}.";                  // "At Central Library."
  std::string by = "by";                             // "The Raven Black, by Ann Cleeves."
  std::string because = "Because you follow {}.";    // "Because you follow Ann Cleeves and crime."
  std::string and_word = "and";
  std::string day_suffix;                            // after the day of the month: "." in German
  std::vector<std::string> weekdays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::vector<std::string> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
};

// The phrases for a BCP 47 tag's primary language (config/language.h: prompt_languages(), i.e.
// cy de en es fr nl; "fr-CA" uses fr). English for any other or ill-formed tag.
const PromptPhrases& prompt_phrases(std::string_view language);

// "{}" in `phrase` replaced by `names`; a phrase without "{}" gets " names." appended.
std::string fill_phrase(const std::string& phrase, const std::string& names);

}  // namespace branchcast
