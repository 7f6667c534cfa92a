// Every example of formats.md sections 1, 2 and 5 validates, taken verbatim from docs/formats.md
// (the repository's copy of the spec) with the files they reference created beside them.
#include <gtest/gtest.h>


#include "config/loader.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

using testing::join;
using testing::TempDir;

// The folder layout the examples refer to.
void write_example_branch(const TempDir& t, const std::string& appliance_extra = "") {
  std::string appliance = testing::formats_yaml_block("## 1.");
  std::string playlist = testing::formats_yaml_block("## 2.");
  std::string patrons = testing::formats_yaml_block("## 5.");
  ASSERT_NE(appliance.find("screens:"), std::string::npos);
  ASSERT_NE(playlist.find("default:"), std::string::npos);
  ASSERT_NE(patrons.find("- id: p-4821"), std::string::npos);
  t.write("appliance.yaml", appliance + appliance_extra);
  t.write("playlists/entrance.yaml", playlist);
  t.write("playlists/children.yaml", playlist);  // named by section 1, not shown by the spec
  t.write("patrons.yaml", patrons);
  t.write("feeds/new-arrivals.xml", "<rss version=\"2.0\"><channel/></rss>\n");
  // Section 2's content paths are relative to the playlist's folder (playlists/).
  for (const char* f : {"playlists/content/welcome.png", "playlists/content/storytime.webm",
                        "playlists/content/whats-on.png"})
    t.write(f, "placeholder");
}

TEST(SpecExamples, SectionsOneTwoAndFiveValidateTogether) {
  TempDir t;
  write_example_branch(t);
  auto l = load_appliance(t / "appliance.yaml");
  ASSERT_TRUE(l.ok()) << join(l.errors);
  const ApplianceSettings& s = *l.settings;
  EXPECT_EQ(s.branch.id, "central");
  EXPECT_EQ(s.branch.timezone, "Europe/London");
  EXPECT_EQ(s.branch.opening_hours.by_weekday[4][0].end.minutes, 20 * 60);
  EXPECT_TRUE(s.branch.opening_hours.by_weekday[6].empty());
  ASSERT_EQ(s.screens.size(), 2u);
  EXPECT_TRUE(s.screens[0].power->relative);
  EXPECT_EQ(s.screens[0].power->before_open, Duration(15 * 60'000));
  EXPECT_EQ(s.screens[0].power->after_close, Duration(15 * 60'000));
  EXPECT_FALSE(s.screens[1].power->relative);
  EXPECT_EQ(s.screens[1].power->on.minutes, 8 * 60 + 45);
  ASSERT_EQ(s.branch.closures.size(), 2u);
  EXPECT_EQ(s.branch.closures[0].name, "Christmas");
  EXPECT_EQ(s.branch.closures[0].dates.last, std::chrono::year_month_day(std::chrono::year(2026) / 12 / 27));
  EXPECT_EQ(s.branch.closures[1].name, "New Year's Day");
  ASSERT_EQ(s.branch.special_hours.size(), 1u);
  EXPECT_EQ(s.branch.special_hours[0].hours.at(0).end.minutes, 13 * 60);
  EXPECT_EQ(s.feeds[0].url, "https://calendar.example.org/central.ics");
  EXPECT_EQ(s.feeds[1].url, "file:" + t / "feeds/new-arrivals.xml");
  EXPECT_EQ(s.beacon.interval, Duration(300));
  EXPECT_EQ(s.beacon.ibeacon->minor, 7);
  EXPECT_EQ(s.beacon.ibeacon->measured_power, -59);
  EXPECT_EQ(s.presence.report_every, Duration(15 * 60'000));
  EXPECT_TRUE(s.notifications.quiet_hours->crosses_midnight());
  EXPECT_EQ(*s.telemetry.mqtt, "mqtt://broker.example.org:1883/branchcast");
  const PlaylistSettings& p = s.playlists.at("entrance");
  EXPECT_EQ(p.transition.kind, TransitionKind::kCrossfade);
  ASSERT_EQ(p.rules.size(), 5u);
  EXPECT_EQ(p.rules[0].name, "Storytime mornings");
  EXPECT_EQ(p.rules[0].when.dates->last, std::chrono::year_month_day(std::chrono::year(2026) / 3 / 31));
  EXPECT_EQ(p.rules[1].when.before_event->tags, std::vector<std::string>{"author"});
  EXPECT_EQ(p.rules[3].priority, 0);
  EXPECT_TRUE(p.rules[4].interrupt);
  EXPECT_EQ(p.rules[3].when.open, true);
  EXPECT_EQ(p.rules[4].when.before_close, Duration(15 * 60'000));

  auto patrons = load_patrons(t / "patrons.yaml");
  ASSERT_TRUE(patrons.ok()) << join(patrons.errors);
  EXPECT_EQ((*patrons.settings)[0].epoch, 1767225600);
  EXPECT_EQ((*patrons.settings)[0].interests.subjects, (std::vector<std::string>{"crime", "local history"}));
}

TEST(SpecExamples, EachFileValidatesOnItsOwn) {
  TempDir t;
  write_example_branch(t);
  for (const char* f : {"appliance.yaml", "playlists/entrance.yaml", "playlists/children.yaml", "patrons.yaml"})
    EXPECT_EQ(join(validate_file(t / f)), "") << f;
}

TEST(SpecExamples, SectionFourVapidKeyAndWebPushPatron) {
  TempDir t;
  write_example_branch(t, "");
  std::string appliance = testing::formats_yaml_block("## 1.");
  size_t at = appliance.find("  patrons: file:patrons.yaml");
  ASSERT_NE(at, std::string::npos);
  appliance.insert(at, "  vapid: { private_key: file:vapid.pem, subject: mailto:it@library.example.org }\n");
  t.write("appliance.yaml", appliance);
  t.write("vapid.pem", "-----BEGIN EC PRIVATE KEY-----\n-----END EC PRIVATE KEY-----\n");
  t.write("patrons.yaml", testing::formats_yaml_block("## 5.") +
                              "- id: p-77\n  key: 00112233445566778899aabbccddeeff\n  epoch: 1767225600\n"
                              "  notify: webpush\n  subscription: {\"endpoint\": \"https://push.example.org/x\", "
                              "\"keys\": {\"p256dh\": \"BNc\", \"auth\": \"tBH\"}}\n");
  auto l = load_appliance(t / "appliance.yaml");
  ASSERT_TRUE(l.ok()) << join(l.errors);
  EXPECT_EQ(l.settings->notifications.vapid->private_key, "file:" + t / "vapid.pem");
  EXPECT_EQ(l.settings->notifications.vapid->subject, "mailto:it@library.example.org");

  // Without the VAPID key, the webpush patron cannot be notified.
  appliance.erase(appliance.find("  vapid:"), appliance.find("  patrons:") - appliance.find("  vapid:"));
  t.write("appliance.yaml", appliance);
  EXPECT_EQ(join(load_appliance(t / "appliance.yaml").errors),
            t / "appliance.yaml:60:12: error: patrons use webpush, which needs notifications.vapid (a VAPID key and "
                "subject)\n");
}

TEST(SpecExamples, ReferencedFilesMustExist) {
  TempDir t;
  write_example_branch(t);
  std::filesystem::remove(t / "feeds/new-arrivals.xml");
  std::filesystem::remove(t / "playlists/content/storytime.webm");
  auto l = load_appliance(t / "appliance.yaml");
  EXPECT_EQ(join(l.errors),
            t / "appliance.yaml:38:10: error: feed file 'feeds/new-arrivals.xml' does not exist\n" +
                t / "playlists/entrance.yaml:14:16: error: video 'content/storytime.webm' does not exist\n" +
                t / "playlists/children.yaml:14:16: error: video 'content/storytime.webm' does not exist\n");
}

TEST(DemoBranch, BuiltCopyValidates) {
  // config_test depends on the demo_branch target, which copies it and generates its media.
  std::string demo = std::string(BRANCHCAST_BINARY_DIR) + "/demo-branch/appliance.yaml";
  EXPECT_EQ(join(validate_file(demo)), "");
  auto l = load_appliance(demo);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l.settings->playlists.size(), 2u);
}

}  // namespace
}  // namespace branchcast
