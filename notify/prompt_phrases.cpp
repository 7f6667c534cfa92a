#include "notify/prompt_phrases.h"

#include <map>

#include "config/language.h"

namespace branchcast {
namespace {

// UTF-8 written as escapes so the source stays ASCII.
std::map<std::string, PromptPhrases> make_tables() {
  std::map<std::string, PromptPhrases> t;
  t["en"] = PromptPhrases{};

  PromptPhrases cy;  // Welsh
  cy.today = "Heddiw";
  cy.tomorrow = "Yfory";
  cy.on_now = "Ymlaen nawr";
  cy.until = "tan";
  cy.at_branch = "Yn {}.";
  cy.by = "gan";
  cy.because = "Oherwydd eich bod yn dilyn {}.";
  cy.and_word = "a";
  cy.weekdays = {"Llun", "Maw", "Mer", "Iau", "Gwe", "Sad", "Sul"};
  cy.months = {"Ion", "Chwef", "Maw", "Ebr", "Mai", "Meh", "Gorff", "Awst", "Medi", "Hyd", "Tach", "Rhag"};
  t["cy"] = cy;

  PromptPhrases de;  // German: the verb goes last ("Weil Sie Ann Cleeves folgen.")
  de.today = "Heute";
  de.tomorrow = "Morgen";
  de.on_now = "L\xC3\xA4uft jetzt";
  de.until = "bis";
  de.at_branch = "In {}.";
  de.by = "von";
  de.because = "Weil Sie {} folgen.";
  de.and_word = "und";
  de.day_suffix = ".";
  de.weekdays = {"Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"};
  de.months = {"Jan.", "Feb.", "M\xC3\xA4rz", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."};
  t["de"] = de;

  PromptPhrases es;  // Spanish
  es.today = "Hoy";
  es.tomorrow = "Ma\xC3\xB1" "ana";
  es.on_now = "En curso";
  es.until = "hasta las";
  es.at_branch = "En {}.";
  es.by = "de";
  es.because = "Porque sigues a {}.";
  es.and_word = "y";
  es.weekdays = {"lun", "mar", "mi\xC3\xA9", "jue", "vie", "s\xC3\xA1" "b", "dom"};
  es.months = {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"};
  t["es"] = es;

  PromptPhrases fr;  // French
  fr.today = "Aujourd\xE2\x80\x99hui";
  fr.tomorrow = "Demain";
  fr.on_now = "En cours";
  fr.until = "jusqu\xE2\x80\x99\xC3\xA0";
  fr.at_branch = "\xC3\x80 {}.";
  fr.by = "de";
  fr.because = "Parce que vous suivez {}.";
  fr.and_word = "et";
  fr.weekdays = {"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."};
  fr.months = {"janv.", "f\xC3\xA9vr.", "mars", "avr.", "mai", "juin",
               "juil.", "ao\xC3\xBBt", "sept.", "oct.", "nov.", "d\xC3\xA9" "c."};
  t["fr"] = fr;

  PromptPhrases nl;  // Dutch
  nl.today = "Vandaag";
  nl.tomorrow = "Morgen";
  nl.on_now = "Nu bezig";
  nl.until = "tot";
  nl.at_branch = "In {}.";
  nl.by = "door";
  nl.because = "Omdat u {} volgt.";
  nl.and_word = "en";
  nl.weekdays = {"ma", "di", "wo", "do", "vr", "za", "zo"};
  nl.months = {"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"};
  t["nl"] = nl;
  return t;
}

}  // namespace

const PromptPhrases& prompt_phrases(std::string_view language) {
  static const std::map<std::string, PromptPhrases> kTables = make_tables();
  auto it = kTables.find(primary_language(language));
  return it == kTables.end() ? kTables.at("en") : it->second;
}

std::string fill_phrase(const std::string& phrase, const std::string& names) {
  const size_t at = phrase.find("{}");
  if (at == std::string::npos) return phrase + " " + names + ".";
  return phrase.substr(0, at) + names + phrase.substr(at + 2);
}

}  // namespace branchcast
