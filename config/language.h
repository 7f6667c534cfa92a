// The branch's language (`branch.language`, a BCP 47 tag such as `en`, `fr-CA`, `cy`): what the
// config loader checks and what the prompt wording (notify/prompt_phrases.h) is chosen by.
// Pure functions of their arguments; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace branchcast {

// The primary language subtags Branchcast has prompt wording for, sorted: cy de en es fr nl.
const std::vector<std::string_view>& prompt_languages();

// True for a well-formed tag as staff write one: a 2-3 letter primary language subtag, then
// optional subtags of 1-8 letters or digits, separated by '-' ("en", "en-GB", "zh-Hant-TW",
// "es-419"). Case-insensitive. Language names ("English") and '_' separators are not tags.
bool is_language_tag(std::string_view tag);

// The primary language subtag, lower case ("fr-CA" -> "fr"); "" for an ill-formed tag.
std::string primary_language(std::string_view tag);

// The tag staff probably meant when they wrote a language's name or a POSIX locale instead of a
// tag ("French", "Cymraeg", "fr_FR", "en_GB.UTF-8" -> "fr", "cy", "fr-FR", "en-GB"); "" when no guess.
std::string language_tag_guess(std::string_view text);

// True when prompt wording exists for the tag's primary language.
bool has_prompt_language(std::string_view tag);

}  // namespace branchcast
