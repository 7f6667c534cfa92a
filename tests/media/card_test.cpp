#include "media/card.h"

#include <gtest/gtest.h>

namespace branchcast {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// A width function with one pixel per byte: easy to reason about.
int bytes(std::string_view s) { return static_cast<int>(s.size()); }

std::vector<std::string> texts(const std::vector<WrappedLine>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(l.text);
  return out;
}

TimeZone london() { return *TimeZone::load("Europe/London"); }

TimePoint at(const char* iso) { return *london().parse_iso(iso); }

CatalogueEvent event(const char* start, const char* end, bool all_day = false) {
  CatalogueEvent e;
  e.id = "e";
  e.start = at(start);
  e.end = at(end);
  e.all_day = all_day;
  return e;
}

// The wording is feeds' countdown_text (one place for it); the card adds the start while it
// counts down within the hour.
TEST(CardWhen, DescribesStartRelativeToNow) {
  auto z = london();
  TimePoint now = at("2026-03-02T10:18");
  EXPECT_EQ(event_when_text(event("2026-03-02T10:30", "2026-03-02T11:30"), now, z),
            "Today 10:30 \xC2\xB7 Starts in 12 min");
  EXPECT_EQ(event_when_text(event("2026-03-02T10:18:30", "2026-03-02T11:30"), now, z),
            "Today 10:18 \xC2\xB7 Starting now");
  EXPECT_EQ(event_when_text(event("2026-03-03T00:10", "2026-03-03T01:00"), at("2026-03-02T23:55"), z),
            "Tomorrow 00:10 \xC2\xB7 Starts in 15 min");
  EXPECT_EQ(event_when_text(event("2026-03-02T14:00", "2026-03-02T15:00"), now, z), "Today 14:00");
  EXPECT_EQ(event_when_text(event("2026-03-03T09:05", "2026-03-03T10:00"), now, z), "Tomorrow 09:05");
  EXPECT_EQ(event_when_text(event("2026-03-07T10:00", "2026-03-07T11:00"), now, z), "Sat 10:00");
  EXPECT_EQ(event_when_text(event("2026-03-12T10:00", "2026-03-12T11:00"), now, z), "Thu 12 Mar 10:00");
  EXPECT_EQ(event_when_text(event("2026-03-02T10:00", "2026-03-02T11:00"), now, z), "Now until 11:00");
  EXPECT_EQ(event_when_text(event("2026-03-04", "2026-03-05", true), now, z), "Wed");
  // Summer time: local wall clock, not UTC.
  EXPECT_EQ(event_when_text(event("2026-07-01T18:30", "2026-07-01T19:30"), at("2026-07-01T12:00"), z),
            "Today 18:30");
}

TEST(CardFor, EventCardCarriesTitleTimeAndRoom) {
  Showing s;
  s.kind = ItemKind::kEvents;
  CatalogueEvent e;
  e.id = "talk-1";
  e.title = "Author talk";
  e.start = at("2026-03-02T18:30");
  e.end = e.start + hours(1);
  e.location = "Room B";
  s.event = e;
  CardContent c = card_for(s, at("2026-03-02T18:18"), london(), "");
  EXPECT_EQ(c.style, CardStyle::kEvent);
  EXPECT_EQ(c.title, "Author talk");
  EXPECT_EQ(c.when, "Today 18:30 \xC2\xB7 Starts in 12 min");
  EXPECT_EQ(c.room, "Room B");
}

TEST(CardFor, TextOverrideAndNearby) {
  PlaylistItem item;
  item.kind = ItemKind::kText;
  item.text = "Closing soon";
  Showing s;
  s.kind = ItemKind::kText;
  s.item = &item;
  EXPECT_EQ(card_for(s, {}, london(), "").title, "Closing soon");
  Showing o;
  o.mode = ShowingMode::kOverride;
  o.text = "Fire drill";
  EXPECT_EQ(card_for(o, {}, london(), "").style, CardStyle::kOverride);
  Showing n;
  n.kind = ItemKind::kNearby;
  EXPECT_EQ(card_for(n, {}, london(), "https://x/y").qr_text, "https://x/y");
  EXPECT_EQ(card_for(n, {}, london(), "ntfys://ntfy.example.org/central").qr_text,
            "https://ntfy.example.org/central");
  EXPECT_EQ(subscribe_url("ntfy://h/t"), "http://h/t");
}

// A window in standby says when the screen wakes and why: the bare time within a day, the day
// too when it is further away (a closure), and no time when none is known.
TEST(StandbyCard, SaysWhenTheScreenWakesAndWhy) {
  Showing evening;
  evening.mode = ShowingMode::kStandby;
  evening.ref = "-";
  evening.start = at("2026-03-02T20:15");
  evening.wakes = at("2026-03-03T08:45");
  EXPECT_EQ(standby_card(evening, london()).title, "standby until 08:45 (power)");
  EXPECT_EQ(standby_card(evening, london()).style, CardStyle::kStandby);
  Showing christmas;
  christmas.mode = ShowingMode::kStandby;
  christmas.ref = "closed: Christmas";
  christmas.start = at("2026-12-24T00:00");
  christmas.wakes = at("2026-12-28T08:45");
  EXPECT_EQ(standby_card(christmas, london()).title, "standby until Mon 28 Dec 08:45 (closed: Christmas)");
  Showing unknown;
  unknown.mode = ShowingMode::kStandby;
  unknown.ref = "-";
  EXPECT_EQ(standby_card(unknown, london()).title, "standby (power)");
}

TEST(WrapText, WrapsAtSpacesWithinWidth) {
  auto lines = texts(wrap_text("the quick brown fox jumps", 10, 5, bytes));
  ASSERT_EQ(lines, (std::vector<std::string>{"the quick", "brown fox", "jumps"}));
}

TEST(WrapText, EllipsizesWhenOutOfLines) {
  auto lines = texts(wrap_text("the quick brown fox jumps over the lazy dog", 10, 2, bytes));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "the quick");
  EXPECT_EQ(lines[1], "brown f\xE2\x80\xA6");  // "brown fox" + 3-byte ellipsis > 10: shortened
  for (const auto& l : lines) EXPECT_LE(bytes(l), 12);
}

TEST(WrapText, NeverWiderThanTheLine) {
  std::string text(5000, 'W');
  text += " and some more words";
  auto lines = texts(wrap_text(text, 40, 4, bytes));
  ASSERT_EQ(lines.size(), 4u);
  for (const auto& l : lines) EXPECT_LE(bytes(l), 40) << l;
  EXPECT_NE(lines.back().find("\xE2\x80\xA6"), std::string::npos);
}

TEST(WrapText, BreaksLongWordsBetweenUtf8Characters) {
  std::string word;
  for (int i = 0; i < 30; ++i) word += "\xD7\xA9";  // Hebrew shin, 2 bytes each
  auto lines = texts(wrap_text(word, 11, 10, bytes));
  for (const auto& l : lines) {
    EXPECT_LE(bytes(l), 11);
    EXPECT_EQ(sanitize_utf8(l, 100), l);  // every line is valid UTF-8
  }
}

TEST(SanitizeUtf8, ReplacesInvalidAndCapsLength) {
  EXPECT_EQ(sanitize_utf8("a\xFF" "b", 100), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize_utf8("\xE2\x82", 100), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_utf8("h\xC3\xA9llo", 2), "h");  // never cuts a character in half
  EXPECT_EQ(sanitize_utf8("tab\there", 100), "tab here");
}

TEST(WrapText, DegenerateInputs) {
  EXPECT_TRUE(wrap_text("", 10, 3, bytes).empty());
  EXPECT_TRUE(wrap_text("abc", 0, 3, bytes).empty());
  EXPECT_TRUE(wrap_text("abc", 10, 0, bytes).empty());
  EXPECT_EQ(texts(wrap_text("a\nb", 10, 3, bytes)), (std::vector<std::string>{"a", "b"}));
}

// Each line knows its paragraph, so a renderer gives all lines of a paragraph one direction.
TEST(WrapText, LinesCarryTheirParagraph) {
  auto lines = wrap_text("one two\n\nthree", 5, 10, bytes);
  EXPECT_EQ(lines, (std::vector<WrappedLine>{{"one", 0}, {"two", 0}, {"", 1}, {"three", 2}}));
}

}  // namespace
}  // namespace branchcast
