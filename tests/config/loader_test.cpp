// appliance.yaml and playlists: values, defaults, references and the errors of formats.md 1 and 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

using ::testing::HasSubstr;
using testing::join;
using testing::TempDir;

constexpr const char* kMinimalAppliance =
    "branch: { id: central, timezone: Europe/London }\n"
    "screens:\n"
    "  - id: entrance\n"
    "    playlist: playlists/main.yaml\n";

constexpr const char* kMinimalPlaylist = "default:\n  - text: Welcome\n";

TEST(LoadAppliance, DefaultsForEverythingNotGiven) {
  TempDir t;
  std::string path = t.write("appliance.yaml", kMinimalAppliance);
  t.write("playlists/main.yaml", kMinimalPlaylist);
  auto l = load_appliance(path);
  ASSERT_TRUE(l.ok()) << join(l.errors);
  const ApplianceSettings& s = *l.settings;
  EXPECT_EQ(s.path, path);
  EXPECT_EQ(s.base_dir, t.path());
  EXPECT_EQ(s.content_root, std::filesystem::canonical(t.path()).string());
  EXPECT_EQ(s.branch.name, "central");
  EXPECT_FALSE(s.branch.opening_hours_given);
  ASSERT_EQ(s.screens.size(), 1u);
  EXPECT_EQ(s.screens[0].output, OutputKind::kAuto);
  EXPECT_EQ(s.screens[0].width, 1920);
  EXPECT_EQ(s.screens[0].rotation, 0);
  EXPECT_EQ(s.screens[0].playlist_path, t / "playlists/main.yaml");
  EXPECT_FALSE(s.screens[0].power);
  EXPECT_FALSE(s.beacon.enabled);
  EXPECT_FALSE(s.presence.enabled);
  EXPECT_EQ(s.presence.min_reported, 3);
  EXPECT_EQ(s.health.listen, "127.0.0.1:8642");
  ASSERT_EQ(s.playlists.count("entrance"), 1u);
  const PlaylistSettings& p = s.playlists.at("entrance");
  EXPECT_EQ(p.transition.kind, TransitionKind::kCut);
  ASSERT_EQ(p.default_items.size(), 1u);
  EXPECT_EQ(p.default_items[0].kind, ItemKind::kText);
  EXPECT_EQ(p.default_items[0].text, "Welcome");
  EXPECT_FALSE(p.default_items[0].duration);
  EXPECT_EQ(p.default_items[0].where.line, 2);
  EXPECT_EQ(p.default_items[0].where.column, 5);
}

TEST(LoadAppliance, OpeningHoursDayKeysRangesAndClosedDays) {
  TempDir t;
  std::string path = t.write("appliance.yaml",
                             "branch:\n  id: c\n  timezone: UTC\n  opening_hours:\n"
                             "    mon-thu: \"09:00-20:00\"\n    fri-sat: [\"09:00-12:00\", \"13:00-17:00\"]\n"
                             "    sun: closed\n");
  auto l = load_appliance(path);
  ASSERT_TRUE(l.ok()) << join(l.errors);
  const auto& h = l.settings->branch.opening_hours.by_weekday;
  EXPECT_TRUE(l.settings->branch.opening_hours_given);
  ASSERT_EQ(h[0].size(), 1u);
  EXPECT_EQ(h[0][0].start.minutes, 9 * 60);
  EXPECT_EQ(h[3][0].end.minutes, 20 * 60);
  ASSERT_EQ(h[4].size(), 2u);
  EXPECT_EQ(h[5][1].start.minutes, 13 * 60);
  EXPECT_TRUE(h[6].empty());
  EXPECT_TRUE(l.settings->screens.empty());
}

TEST(LoadAppliance, ReferencesResolveAgainstTheApplianceFolder) {
  TempDir t;
  std::string path = t.write("site/appliance.yaml",
                             "branch: { id: c, timezone: UTC }\n"
                             "content_root: media\n"
                             "screens: [{ id: a, playlist: lists/a.yaml, audience: everyone }, { id: b, playlist: lists/a.yaml, audience: children }]\n"
                             "feeds:\n"
                             "  - { id: local, kind: rss, url: file:feeds/x.xml }\n"
                             "  - { id: abs, kind: atom, url: 'file:" + t.path() + "/site/feeds/x.xml' }\n"
                             "  - { id: web, kind: ical, url: https://example.org/a.ics, refresh: 2h }\n"
                             "notifications: { patrons: file:patrons.yaml, nearby_topic: ntfy://h/t }\n");
  t.write("site/lists/a.yaml", "default:\n  - image: ../media/a.png\n  - nearby: {}\n");
  t.write("site/media/a.png", "png");
  t.write("site/feeds/x.xml", "<rss/>");
  t.write("site/patrons.yaml", "[]\n");
  auto l = load_appliance(path);
  ASSERT_TRUE(l.ok()) << join(l.errors);
  const auto& s = *l.settings;
  EXPECT_EQ(s.content_root, std::filesystem::canonical(t / "site/media").string());
  EXPECT_EQ(s.screens[0].audience, "");
  EXPECT_EQ(s.screens[1].audience, "children");
  EXPECT_EQ(s.feeds[0].url, "file:" + t / "site/feeds/x.xml");
  EXPECT_EQ(s.feeds[1].url, "file:" + t / "site/feeds/x.xml");
  EXPECT_EQ(s.feeds[2].url, "https://example.org/a.ics");
  EXPECT_EQ(s.feeds[2].refresh, Duration(2 * 3'600'000));
  EXPECT_EQ(*s.notifications.patrons, "file:" + t / "site/patrons.yaml");
  ASSERT_EQ(s.playlists.size(), 2u);
  EXPECT_EQ(s.playlists.at("b").default_items[0].resolved,
            std::filesystem::canonical(t / "site/media/a.png").string());
  EXPECT_EQ(s.playlists.at("b").default_items[0].path, "../media/a.png");
  // The folder the player opens it beneath at play time (issue 13, finding 9).
  EXPECT_EQ(s.playlists.at("b").default_items[0].root, s.content_root);
}

TEST(LoadAppliance, ErrorsNameReferencedFilesAsTheUserWouldAndAreReportedOnce) {
  TempDir t;
  t.write("appliance.yaml", "branch: { id: c, timezone: UTC }\n"
                            "screens: [{ id: a, playlist: p/x.yaml }, { id: b, playlist: p/x.yaml }]\n");
  t.write("p/x.yaml", "default:\n  - text: hi\n    durration: 5s\n");
  auto errors = testing::in_dir(t.path(), [] { return load_appliance("./appliance.yaml").errors; });
  EXPECT_EQ(join(errors), "./p/x.yaml:3:5: error: unknown key 'durration' (did you mean 'duration'?)\n");
}

TEST(LoadAppliance, EveryErrorAtOnceAndNothingPartial) {
  TempDir t;
  std::string path = t.write(
      "appliance.yaml",
      "branch: { id: Central, timezone: Mars/Olympus }\n"
      "screens:\n"
      "  - { id: a, output: hdmi, resolution: 1920x, rotation: 45, playlist: missing.yaml }\n"
      "  - { id: a, playlist: p.yaml, power: { on: \"08:45\" } }\n"
      "feeds:\n"
      "  - { id: ev, kind: ics, url: ftp://x/y, refresh: 15x }\n"
      "  - { id: ev, kind: rss, url: file:nope.xml }\n"
      "beacon: { enabled: yes, ibeacon: { uuid: 1234, major: 70000 }, interval: 5ms }\n"
      "presence: { rssi_threshold: 10, min_reported: 1 }\n"
      "notifications: { provider: https://x, quiet_hours: \"20:00\", patrons: patrons.yaml }\n"
      "health: { listen: localhost }\n"
      "telemetry: { mqtt: http://x }\n");
  t.write("p.yaml", kMinimalPlaylist);
  auto l = load_appliance(path);
  EXPECT_FALSE(l.settings);
  std::string all = join(l.errors);
  for (const char* expected :
       {":1:15: error: 'id' must be 1-64 characters", ":1:34: error: unknown time zone 'Mars/Olympus'",
        ":3:22: error: 'output' must be one of auto | kms | window | offscreen (got 'hdmi')",
        ":3:40: error: invalid resolution '1920x'", ":3:57: error: 'rotation' must be 0, 90, 180 or 270",
        ":3:71: error: playlist 'missing.yaml' does not exist", ":4:11: error: duplicate screen id 'a' (first at line 3)",
        ":4:39: error: missing required key 'off'", ":6:21: error: 'kind' must be one of ical",
        ":6:31: error: 'url' must start with http://, https:// or file:", ":6:51: error: 'refresh': invalid duration",
        ":7:11: error: duplicate feed id 'ev' (first at line 6)", ":7:31: error: feed file 'nope.xml' does not exist",
        ":8:42: error: invalid uuid '1234'", ":8:55: error: 'major' must be between 0 and 65535",
        ":8:74: error: 'interval' must be at least 20ms", ":9:29: error: 'rssi_threshold' must be between -127 and 0",
        ":9:47: error: 'min_reported' must be between 2 and 1000",
        ":10:28: error: 'provider': unknown notification scheme 'https'",
        ":10:52: error: 'quiet_hours': invalid time window '20:00'",
        ":10:70: error: 'patrons' must be file:PATH", ":11:19: error: invalid listen address 'localhost'",
        ":12:20: error: 'mqtt' must start with mqtt:// or mqtts://"})
    EXPECT_THAT(all, HasSubstr(expected));
  EXPECT_EQ(l.errors.size(), 23u) << all;
}

TEST(LoadAppliance, RequiredSectionsAndKeys) {
  TempDir t;
  auto l = load_appliance(t.write("appliance.yaml", "screens: []\n"));
  EXPECT_EQ(join(l.errors), t / "appliance.yaml" + ":1:1: error: missing required key 'branch'\n");
  l = load_appliance(t.write("appliance.yaml", "branch: { name: x }\nscreens: [{ id: a }]\n"));
  EXPECT_EQ(join(l.errors), t / "appliance.yaml" + ":1:9: error: missing required key 'id'\n" +
                                t / "appliance.yaml" + ":1:9: error: missing required key 'timezone'\n" +
                                t / "appliance.yaml" + ":2:11: error: missing required key 'playlist'\n");
}

class Playlist : public ::testing::Test {
 protected:
  Loaded<PlaylistSettings> load(const std::string& text) {
    std::string path = t_.write("playlists/p.yaml", text);
    return load_playlist(path, t_.path(), &feeds_);
  }
  std::string errors(const std::string& text) {
    std::string all = join(load(text).errors);
    std::string prefix = t_ / "playlists/p.yaml";
    for (size_t p; (p = all.find(prefix)) != std::string::npos;) all.replace(p, prefix.size(), "p.yaml");
    return all;
  }
  void SetUp() override {
    t_.write("content/a.png", "x");
    t_.write("content/v.webm", "x");
  }
  TempDir t_;
  std::vector<std::string> feeds_{"events", "new-arrivals"};
};

TEST_F(Playlist, ConditionsAndItemsAreFilled) {
  auto l = load(
      "transition: { kind: crossfade, duration: 750ms }\n"
      "default:\n  - image: ../content/a.png\n    duration: 10s\n"
      "rules:\n"
      "  - name: Late\n    priority: -3\n    interrupt: true\n"
      "    when: { days: [fri-mon, wed], time: \"22:00-02:00\", dates: 2026-12-24 }\n"
      "    items:\n      - video: ../content/v.webm\n        mute: false\n"
      "      - events: { feed: events, tags: author, next: 2, within: 7d }\n        duration: 8s\n"
      "      - recommended:\n      - nearby:\n"
      "  - name: Before\n    when: { before_event: { feed: events, lead: 45m }, presence: some }\n"
      "    items: [{ recommended: { count: 5, kinds: [book] } }]\n");
  ASSERT_TRUE(l.ok()) << join(l.errors);
  const auto& p = *l.settings;
  EXPECT_EQ(p.transition.kind, TransitionKind::kCrossfade);
  EXPECT_EQ(p.transition.duration, Duration(750));
  EXPECT_EQ(*p.default_items[0].duration, Duration(10'000));
  ASSERT_EQ(p.rules.size(), 2u);
  const auto& late = p.rules[0];
  EXPECT_EQ(late.priority, -3);
  EXPECT_TRUE(late.interrupt);
  EXPECT_EQ(*late.when.days, (std::array<bool, 7>{true, false, true, false, true, true, true}));
  EXPECT_TRUE(late.when.time->crosses_midnight());
  EXPECT_EQ(late.when.dates->first, late.when.dates->last);
  ASSERT_EQ(late.items.size(), 4u);
  EXPECT_FALSE(late.items[0].mute);
  EXPECT_FALSE(late.items[0].duration);
  EXPECT_EQ(late.items[1].events.tags, std::vector<std::string>{"author"});
  EXPECT_EQ(late.items[1].events.next, 2);
  EXPECT_EQ(*late.items[1].events.within, Duration(7 * 86'400'000LL));
  EXPECT_EQ(late.items[2].kind, ItemKind::kRecommended);
  EXPECT_EQ(late.items[2].recommended.count, 3);
  EXPECT_EQ(late.items[3].kind, ItemKind::kNearby);
  EXPECT_EQ(p.rules[1].when.before_event->lead, Duration(45 * 60'000));
  EXPECT_EQ(*p.rules[1].when.presence, PresenceLevel::kSome);
  EXPECT_EQ(p.rules[1].priority, 0);
  EXPECT_EQ(p.rules[1].items[0].recommended.count, 5);
}

TEST_F(Playlist, DefaultMustBeGivenAndNonEmpty) {
  EXPECT_EQ(errors("rules: []\n"),
            "p.yaml:1:1: error: missing required key 'default' (the items played when no rule matches)\n");
  EXPECT_EQ(errors("default:\n"), "p.yaml:1:1: error: 'default' is empty (it must list at least one item)\n");
  EXPECT_EQ(errors("default: []\n"), "p.yaml:1:10: error: 'default' is empty (it must list at least one item)\n");
}

TEST_F(Playlist, ItemKindsMustBeExactlyOne) {
  EXPECT_EQ(errors("default:\n  - duration: 5s\n  - text: a\n    image: ../content/a.png\n  - just a path\n"),
            "p.yaml:2:5: error: item has no kind (give one of image, video, text, events, recommended, nearby)\n"
            "p.yaml:3:5: error: item has several kinds ('image' and 'text'); give exactly one per item\n"
            "p.yaml:5:5: error: an item must be a map such as 'image: content/welcome.png'\n");
}

TEST_F(Playlist, FeedIdsRuleNamesAndConditionsAreChecked) {
  EXPECT_EQ(errors("default: [{ events: { feed: evnts } }]\n"
                   "rules:\n"
                   "  - name: A\n    when: { before_event: { feed: nope, lead: 1h }, presence: crowded }\n"
                   "    items: [{ text: x }]\n"
                   "  - name: A\n    when: { days: [], time: \"10:00-10:00\" }\n    items: [{ text: x }]\n"
                   "  - name: default\n    items: []\n"),
            "p.yaml:1:29: error: unknown feed 'evnts' (feeds: events, new-arrivals)\n"
            "p.yaml:4:35: error: unknown feed 'nope' (feeds: events, new-arrivals)\n"
            "p.yaml:4:63: error: 'presence' must be one of empty | some | busy (got 'crowded')\n"
            "p.yaml:6:11: error: duplicate rule name 'A' (first at line 3)\n"
            "p.yaml:7:19: error: 'days' is empty (omit it for every day)\n"
            "p.yaml:7:29: error: 'time': time window '10:00-10:00' is empty (start equals end)\n"
            "p.yaml:9:11: error: rule name 'default' is reserved for the default list\n"
            "p.yaml:10:12: error: 'items' is empty (it must list at least one item)\n");
}

TEST_F(Playlist, NearbyNeedsATopicWhenLoadedWithItsAppliance) {
  t_.write("appliance.yaml", std::string(kMinimalAppliance));
  t_.write("playlists/main.yaml", "default: [{ nearby: {} }]\n");
  auto l = load_appliance(t_ / "appliance.yaml");
  EXPECT_EQ(join(l.errors), t_ / "playlists/main.yaml" +
                                ":1:21: error: a 'nearby' item needs notifications.nearby_topic in appliance.yaml\n");
}

}  // namespace
}  // namespace branchcast

namespace branchcast {
namespace {

using testing::join;
using testing::TempDir;

TEST(LoadAppliance, ClosuresSpecialHoursClosuresFeedAndPowerAroundHours) {
  TempDir t;
  std::string path = t.write(
      "appliance.yaml",
      "branch:\n  id: c\n  timezone: Europe/London\n  opening_hours: { mon-fri: \"09:00-20:00\" }\n"
      "  closures:\n    - { dates: 2026-12-24..2026-12-27, name: Christmas }\n    - { dates: 2027-01-01, name: \"New Year's Day\" }\n"
      "  special_hours:\n    - { dates: 2026-12-23, hours: \"09:00-13:00\" }\n    - { dates: 2026-12-31, hours: closed }\n"
      "  closures_feed: holidays\n"
      "screens:\n  - { id: a, playlist: p.yaml, power: { before_open: 15m, after_close: 30m } }\n"
      "  - { id: b, playlist: p.yaml, power: { after_close: 10m } }\n"
      "feeds:\n  - { id: holidays, kind: ical, url: https://council.example.org/holidays.ics }\n");
  t.write("p.yaml", "default:\n  - text: hi\n");
  auto l = load_appliance(path);
  ASSERT_TRUE(l.ok()) << join(l.errors);
  EXPECT_TRUE(l.warnings.empty()) << join(l.warnings);
  const BranchSettings& b = l.settings->branch;
  ASSERT_EQ(b.closures.size(), 2u);
  EXPECT_EQ(b.closures[0].name, "Christmas");
  EXPECT_EQ(b.closures[0].where.line, 6);
  EXPECT_EQ(b.closures[1].dates.first, b.closures[1].dates.last);
  ASSERT_EQ(b.special_hours.size(), 2u);
  EXPECT_EQ(b.special_hours[0].hours.size(), 1u);
  EXPECT_TRUE(b.special_hours[1].hours.empty());  // closed
  EXPECT_EQ(b.closures_feed, "holidays");
  const auto& p = *l.settings->screens[0].power;
  EXPECT_TRUE(p.relative);
  EXPECT_EQ(p.before_open, Duration(15 * 60'000));
  EXPECT_EQ(p.after_close, Duration(30 * 60'000));
  EXPECT_EQ(l.settings->screens[1].power->before_open, Duration(0));
}

TEST(LoadAppliance, BadOpeningHoursInputIsAnErrorOrAWarningNeverACrash) {
  TempDir t;
  std::string path = t.write(
      "appliance.yaml",
      "branch:\n  id: c\n  timezone: UTC\n  opening_hours: { mon-fri: \"09:00-20:00\" }\n"
      "  closures: [{ dates: 2026-12-24..2026-12-27, name: Christmas }, { dates: 2026-12-26, name: Boxing Day },\n"
      "             { dates: 2026-12-27..2026-12-24, name: Backwards }, { name: No dates }, { dates: 2026-12-01 }]\n"
      "  special_hours: [{ dates: 2026-12-24, hours: \"09:00-12:00\" }, { dates: 2026-12-02, hours: 9-5 }]\n"
      "  closures_feed: news\n"
      "screens:\n  - { id: a, playlist: p.yaml, power: { before_open: 15m, on: \"08:00\" } }\n"
      "  - { id: b, playlist: p.yaml, power: { before_open: 13h } }\n"
      "feeds:\n  - { id: news, kind: rss, url: https://x.example.org/feed }\n");
  t.write("p.yaml", "default:\n  - text: hi\n");
  auto l = load_appliance(path);
  EXPECT_FALSE(l.ok());
  std::string errors = join(l.errors), warnings = join(l.warnings);
  EXPECT_THAT(errors, ::testing::HasSubstr("appliance.yaml:6:23: error: 'dates': date range '2026-12-27..2026-12-24' ends before it starts"));
  EXPECT_THAT(errors, ::testing::HasSubstr("missing required key 'dates'"));
  EXPECT_THAT(errors, ::testing::HasSubstr("missing required key 'name'"));
  EXPECT_THAT(errors, ::testing::HasSubstr("'hours'"));
  EXPECT_THAT(errors, ::testing::HasSubstr("closures_feed 'news' is a rss feed"));
  EXPECT_THAT(errors, ::testing::HasSubstr("'power' takes either fixed times"));
  EXPECT_THAT(errors, ::testing::HasSubstr("'before_open' must be at most 12h"));
  EXPECT_THAT(warnings, ::testing::HasSubstr(
                            "warning: closure 'Boxing Day' (2026-12-26) overlaps closure 'Christmas' (2026-12-24..2026-12-27, "
                            "line 5); the days they share are named 'Christmas'"));
  EXPECT_THAT(warnings, ::testing::HasSubstr("warning: special hours for 2026-12-24 fall on closure 'Christmas'"));
}

TEST(LoadAppliance, BranchLanguageIsATagWithWordingElseAWarningAndEnglish) {
  auto load_with = [](const std::string& language_line) {
    TempDir t;
    std::string path = t.write("appliance.yaml", "branch:\n  id: c\n  timezone: UTC\n" + language_line +
                                                     "screens: [{ id: a, playlist: p.yaml }]\n");
    t.write("p.yaml", "default:\n  - text: hi\n");
    return load_appliance(path);
  };
  auto none = load_with("");
  ASSERT_TRUE(none.ok()) << join(none.errors);
  EXPECT_EQ(none.settings->branch.language, "en");  // optional: English
  for (const char* tag : {"en", "cy", "de", "es", "fr", "nl", "fr-CA", "en-GB", "CY", "es-419"}) {
    auto l = load_with(std::string("  language: ") + tag + "\n");
    ASSERT_TRUE(l.ok()) << tag << ": " << join(l.errors);
    EXPECT_TRUE(l.warnings.empty()) << join(l.warnings);
    EXPECT_EQ(l.settings->branch.language, tag);
  }
  // A well-formed tag without wording: loads, warns, English.
  auto it = load_with("  language: it\n");
  ASSERT_TRUE(it.ok()) << join(it.errors);
  EXPECT_EQ(it.settings->branch.language, "en");
  EXPECT_THAT(join(it.warnings), HasSubstr(":4:13: warning: no prompt wording in language 'it' yet: prompts are in "
                                           "English (have: cy, de, en, es, fr, nl)"));
  EXPECT_THAT(join(load_with("  language: fra\n").warnings), HasSubstr("did you mean 'fr'?"));
  // Not a tag: an error naming the tag meant.
  struct Case { const char* value; const char* message; };
  for (const Case& c : {Case{"French", "'language' must be a BCP 47 language tag such as en, fr or cy (got 'French'; did you mean 'fr'?)"},
                        Case{"Cymraeg", "did you mean 'cy'?"},
                        Case{"fr_FR", "did you mean 'fr-FR'?"},
                        Case{"en_GB.UTF-8", "did you mean 'en-GB'?"},
                        Case{"e", "(got 'e'"},
                        Case{"en--GB", "(got 'en--GB'"},
                        Case{"\"\"", "'language'"},
                        Case{"[en]", "'language'"}}) {
    auto l = load_with(std::string("  language: ") + c.value + "\n");
    EXPECT_FALSE(l.ok()) << c.value;
    EXPECT_THAT(join(l.errors), HasSubstr(c.message)) << c.value;
  }
  EXPECT_THAT(join(load_with("  langauge: fr\n").errors), HasSubstr("did you mean 'language'?"));
}

TEST(LoadPlaylist, OpenBeforeCloseAfterOpenAndTheRuleEightWarning) {
  TempDir t;
  t.write("appliance.yaml",
          "branch: { id: c, timezone: UTC, opening_hours: { mon-fri: \"09:00-20:00\", sat: \"10:00-17:00\" } }\n"
          "screens: [{ id: a, playlist: playlists/p.yaml }]\n");
  std::string p = t.write("playlists/p.yaml",
                          "default:\n  - text: hi\n"
                          "rules:\n"
                          "  - name: Closing soon\n    priority: 30\n    when: { before_close: 15m, open: true }\n"
                          "    items: [{ text: bye }]\n"
                          "  - name: Morning\n    when: { after_open: 30m }\n    items: [{ text: hello }]\n"
                          "  - name: Always\n    priority: 30\n    items: [{ text: picks }]\n");
  auto l = load_appliance(t / "appliance.yaml");
  ASSERT_TRUE(l.ok()) << join(l.errors);
  const auto& rules = l.settings->playlists.at("a").rules;
  EXPECT_EQ(rules[0].when.before_close, Duration(15 * 60'000));
  EXPECT_EQ(rules[0].when.open, true);
  EXPECT_EQ(rules[1].when.after_open, Duration(30 * 60'000));
  EXPECT_EQ(join(l.warnings),
            t / "playlists/p.yaml:11:5: warning: rule 'Always' has no 'when', so it is always active and, "
                "with the highest priority (30) of this playlist, 'default' never plays (give it a 'when', e.g. when: { "
                "open: true }, or a lower priority)\n");
  // validate says the same for the playlist alone (it finds appliance.yaml one folder up).
  EXPECT_THAT(join(validate_file(p)), ::testing::HasSubstr("11:5: warning: rule 'Always' has no 'when'"));
}

}  // namespace
}  // namespace branchcast
