#include "config/language.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace branchcast {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool all_of(std::string_view s, int (*pred)(int)) {
  return std::all_of(s.begin(), s.end(), [pred](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

const std::vector<std::string_view>& prompt_languages() {
  static const std::vector<std::string_view> kLanguages = {"cy", "de", "en", "es", "fr", "nl"};
  return kLanguages;
}

bool is_language_tag(std::string_view tag) {
  size_t start = 0;
  bool first = true;
  while (true) {
    const size_t dash = tag.find('-', start);
    const std::string_view part = tag.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    if (first) {
      if (part.size() < 2 || part.size() > 3 || !all_of(part, std::isalpha)) return false;
      first = false;
    } else if (part.empty() || part.size() > 8 || !all_of(part, std::isalnum)) {
      return false;
    }
    if (dash == std::string_view::npos) return true;
    start = dash + 1;
  }
}

std::string primary_language(std::string_view tag) {
  if (!is_language_tag(tag)) return "";
  return lower(tag.substr(0, tag.find('-')));
}

bool has_prompt_language(std::string_view tag) {
  const std::string p = primary_language(tag);
  const auto& all = prompt_languages();
  return std::find(all.begin(), all.end(), p) != all.end();
}

std::string language_tag_guess(std::string_view text) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"english", "en"}, {"french", "fr"},  {"francais", "fr"},   {"fran\xC3\xA7" "ais", "fr"},
      {"german", "de"},  {"deutsch", "de"}, {"spanish", "es"},    {"espanol", "es"},
      {"espa\xC3\xB1ol", "es"}, {"castellano", "es"}, {"dutch", "nl"}, {"nederlands", "nl"},
      {"flemish", "nl"}, {"welsh", "cy"},   {"cymraeg", "cy"},    {"italian", "it"},
      {"italiano", "it"}, {"portuguese", "pt"}, {"polish", "pl"}, {"irish", "ga"},
      {"gaeilge", "ga"}, {"scottish gaelic", "gd"}, {"gaelic", "gd"}, {"gàidhlig", "gd"}};
  const std::string l = lower(text);
  for (const auto& [name, tag] : kNames)
    if (l == name) return tag;
  // A POSIX locale: "fr_FR", "en_GB.UTF-8", "de_DE@euro".
  std::string t(text.substr(0, text.find_first_of(".@")));
  std::replace(t.begin(), t.end(), '_', '-');
  if (t != text && is_language_tag(t)) return t;
  return "";
}

}  // namespace branchcast
