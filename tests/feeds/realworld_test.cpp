// Regressions on real files (../shared/fixtures/realworld/, see its README; never copied here):
// each defect of issue 15, on the file that showed it.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "common/strings.h"
#include "feeds/feed_parser.h"
#include "feeds/text_encoding.h"
#include "tests/feeds/shared_fixtures.h"

namespace branchcast {
namespace {

std::string real(const std::string& name) {
  auto path = test::shared_dir() / "fixtures" / "realworld" / name;
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << "fixture missing: " << path;
  return ss.str();
}

TimePoint utc(const char* iso) { return *TimeZone::utc().parse_iso(iso); }

FeedParseOptions wide_window() {
  FeedParseOptions o;
  o.source = "real";
  o.window_start = utc("2000-01-01T00:00:00Z");
  o.window_end = utc("2030-01-01T00:00:00Z");
  o.max_window = std::chrono::duration_cast<Duration>(std::chrono::days(366 * 40));
  return o;
}

bool ends_with_jpg(const std::string& s) { return s.size() > 4 && s.substr(s.size() - 4) == ".jpg"; }

bool any_warning(const ParsedFeed& f, std::string_view what) {
  for (const auto& w : f.warnings)
    if (w.find(what) != std::string::npos) return true;
  return false;
}

TEST(RealworldIcal, OwaDisplayNameZonesAndEventsWithoutUid) {
  auto r = parse_ical(real("ical/nodeical-Office-2012-owa.ics"), wide_window());
  ASSERT_TRUE(r) << r.error().to_string();
  const auto& ev = r->catalogue.events;
  ASSERT_GE(ev.size(), 4u);
  // "(GMT+10:00) Canberra, Melbourne, Sydney" 2020-10-28 13:30 is AEDT (+11): 02:30Z, not 13:30Z.
  auto syd = std::find_if(ev.begin(), ev.end(), [](const auto& e) { return e.title == "TEST Syd"; });
  ASSERT_NE(syd, ev.end());
  EXPECT_EQ(syd->start, utc("2020-10-28T02:30:00Z"));
  EXPECT_EQ(syd->end, utc("2020-10-28T04:00:00Z"));
  EXPECT_EQ(syd->zone, "Australia/Sydney");
  // "(UTC-05:00) Eastern Time (US & Canada)" 2020-10-28 13:30 is EDT (-4): 17:30Z.
  auto est = std::find_if(ev.begin(), ev.end(), [](const auto& e) { return e.title == "TEST"; });
  ASSERT_NE(est, ev.end());
  EXPECT_EQ(est->start, utc("2020-10-28T17:30:00Z"));
  EXPECT_EQ(est->zone, "America/New_York");
  EXPECT_FALSE(any_warning(*r, "unknown time zone"));
  // No UIDs in the file: every event gets a stable, distinct id.
  std::set<std::string> ids;
  for (const auto& e : ev) {
    EXPECT_TRUE(starts_with(e.uid, "nouid-")) << e.uid;
    ids.insert(e.id);
  }
  EXPECT_EQ(ids.size(), ev.size());
  auto again = parse_ical(real("ical/nodeical-Office-2012-owa.ics"), wide_window());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->catalogue.events.front().id, ev.front().id) << "ids must survive a refresh";
}

TEST(RealworldIcal, QuotedWindowsDisplayNameZone) {
  auto r = parse_ical(real("ical/nodeical-windows-quoted-tz-rrule.ics"), wide_window());
  ASSERT_TRUE(r) << r.error().to_string();
  const auto& ev = r->catalogue.events;
  ASSERT_EQ(ev.size(), 10u);  // DAILY;COUNT=10; the EXDATEs (12:00 Los Angeles) name no occurrence
  // 12:00 in "(UTC-05:00) Eastern Time (US and Canada)" (EDT) is 16:00Z; DTEND is 13:00 Los Angeles.
  EXPECT_EQ(ev.front().start, utc("2015-07-06T16:00:00Z"));
  EXPECT_EQ(ev.front().end, utc("2015-07-06T20:00:00Z"));
  EXPECT_EQ(ev.front().zone, "America/New_York");
}

TEST(RealworldIcal, IcsParserEasternDisplayNameAndEmptyTextNotWarned) {
  auto r = parse_ical(real("ical/icsparser-ICal.ics"), wide_window());
  ASSERT_TRUE(r) << r.error().to_string();
  bool eastern = false;
  for (const auto& e : r->catalogue.events)
    if (e.zone == "America/New_York" && e.start == utc("2016-04-09T13:00:00Z")) eastern = true;
  EXPECT_TRUE(eastern) << "20160409T090000 Eastern (EDT) is 13:00Z";
  for (const auto& w : r->warnings) EXPECT_EQ(w.find("unknown time zone '(UTC"), std::string::npos) << w;
}

TEST(RealworldIcal, OutlookGluedTzidKeepsTheEventAndItsOccurrences) {
  auto r = parse_ical(real("ical/nodeical-ms_timezones.ics"), wide_window());
  ASSERT_TRUE(r) << r.error().to_string();
  size_t jira = 0;
  TimePoint first = TimePoint::max();
  for (const auto& e : r->catalogue.events)
    if (e.title == "Log Yesterday's Jira time") {
      ++jira;
      first = std::min(first, e.start);
    }
  EXPECT_EQ(jira, 235u);
  EXPECT_EQ(first, utc("2020-06-09T07:00:00Z"));  // 09:00 W. Europe (CEST)
  EXPECT_TRUE(any_warning(*r, "TZID parameters with the time inside the quotes repaired"));
}

TEST(RealworldIcal, GoogleEmptyDescriptionAndLocationAreNotMalformed) {
  auto r = parse_ical(real("ical/nodeical-biweekly-exdate-until.ics"), wide_window());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(any_warning(*r, "malformed")) << (r->warnings.empty() ? "" : r->warnings.front());
  // The same lines written directly.
  std::string cal =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260302T090000Z\r\n"
      "DESCRIPTION:\r\nLOCATION:\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  auto s = parse_ical(cal, wide_window());
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->warnings.empty()) << s->warnings.front();
}

TEST(RealworldXml, MediaRssImagesAndItunes) {
  auto vimeo = parse_xml_feed(real("rss/feedrs-rss_2.0_vimeo_media.xml"), wide_window());
  ASSERT_TRUE(vimeo) << vimeo.error().to_string();
  ASSERT_EQ(vimeo->catalogue.titles.size(), 1u);
  EXPECT_TRUE(starts_with(vimeo->catalogue.titles[0].image, "https://i.vimeocdn.com/video/1931613648-"))
      << vimeo->catalogue.titles[0].image;

  auto guardian = parse_xml_feed(real("rss/rssparser-guardian.xml"), wide_window());
  ASSERT_TRUE(guardian) << guardian.error().to_string();
  ASSERT_EQ(guardian->catalogue.titles.size(), 55u);
  size_t with_image = 0;
  for (const auto& t : guardian->catalogue.titles) with_image += !t.image.empty();
  EXPECT_GE(with_image, 50u);
  // The widest of the two sizes.
  EXPECT_NE(guardian->catalogue.titles[0].image.find("w=460"), std::string::npos) << guardian->catalogue.titles[0].image;
  EXPECT_EQ(guardian->catalogue.titles[0].authors, std::vector<std::string>{"David Smith in Washington"});

  auto youtube = parse_xml_feed(real("atom/feedrs-atom_mediarss_youtube_1.xml"), wide_window());
  ASSERT_TRUE(youtube) << youtube.error().to_string();
  ASSERT_EQ(youtube->catalogue.titles.size(), 1u);
  EXPECT_EQ(youtube->catalogue.titles[0].image, "https://i1.ytimg.com/vi/0A1ouV7iD8o/hqdefault.jpg");

  auto podcast = parse_xml_feed(real("rss/feedrs-rss_2.0_nightvale.xml"), wide_window());
  ASSERT_TRUE(podcast) << podcast.error().to_string();
  ASSERT_EQ(podcast->catalogue.titles.size(), 1u);
  EXPECT_EQ(podcast->catalogue.titles[0].authors, std::vector<std::string>{"Night Vale Presents"});
  EXPECT_TRUE(ends_with_jpg(podcast->catalogue.titles[0].image));
}

TEST(RealworldXml, Windows1252WithoutDeclarationIsRead) {
  auto r = parse_xml_feed(real("rss/rssparser-uolNoticias.xml"), wide_window());
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->catalogue.titles.size(), 15u);
  EXPECT_EQ(r->catalogue.titles[0].title,
            "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simula\u00e7\u00f5es de 2\u00ba turno");
  EXPECT_TRUE(any_warning(*r, "Windows-1252"));
}

TEST(RealworldXml, EveryErrorIsOneLine) {
  // Invalid bytes in a document that declares UTF-8 used to give libxml2's two-line message.
  std::string bad = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel><item><title>caf\xE9</title>";
  auto r = parse_xml_feed(bad, wide_window());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string().find('\n'), std::string::npos) << r.error().to_string();
  auto uol = real("rss/rssparser-uolNoticias.xml");
  auto t = parse_xml_feed(uol.substr(0, uol.size() / 2), wide_window());
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().to_string().find('\n'), std::string::npos) << t.error().to_string();
}

TEST(RealworldJson, JsonFeedOneAndOneOne) {
  auto spec = parse_jsonfeed(real("json/feedrs-jsonfeed_spec_1.json"), wide_window());
  ASSERT_TRUE(spec) << spec.error().to_string();
  ASSERT_FALSE(spec->catalogue.titles.empty());
  const auto& t = spec->catalogue.titles[0];
  EXPECT_EQ(t.title, "Announcing JSON Feed");
  EXPECT_EQ(t.url, "https://jsonfeed.org/2017/05/17/announcing_json_feed");
  EXPECT_EQ(t.added, utc("2017-05-17T15:02:12Z"));
  EXPECT_FALSE(t.description.empty());
  EXPECT_EQ(t.authors, std::vector<std::string>{"Brent Simmons and Manton Reece"});
  // Given as json-catalogue, a JSON Feed is read as one (dates and text kept).
  auto as_catalogue = parse_feed(FeedKind::kJsonCatalogue, real("json/feedrs-jsonfeed_spec_1.json"), wide_window());
  ASSERT_TRUE(as_catalogue);
  EXPECT_EQ(as_catalogue->catalogue.titles[0].added, t.added);

  auto elastic = parse_jsonfeed(real("json/feedrs-jsonfeed_elastic_1.1.json"), wide_window());
  ASSERT_TRUE(elastic) << elastic.error().to_string();
  ASSERT_FALSE(elastic->catalogue.titles.empty());
  size_t dated = 0;
  for (const auto& x : elastic->catalogue.titles) {
    EXPECT_FALSE(x.authors.empty()) << x.id;  // items without authors inherit the feed's
    dated += x.added != TimePoint{};
  }
  EXPECT_GE(dated, elastic->catalogue.titles.size() - 1);  // one item has no date at all
  // id falls back to the url (docs/feeds.md), not the title.
  auto no_id = parse_jsonfeed(R"({"version": "https://jsonfeed.org/version/1.1",
      "items": [{"url": "https://example.org/a", "title": "A", "content_text": "t", "tags": ["News"],
                 "image": "https://example.org/a.jpg", "banner_image": "https://example.org/b.jpg"}]})",
                              wide_window());
  ASSERT_TRUE(no_id) << no_id.error().to_string();
  EXPECT_EQ(no_id->catalogue.titles[0].id, "https://example.org/a");
  EXPECT_EQ(no_id->catalogue.titles[0].image, "https://example.org/a.jpg");
  EXPECT_EQ(no_id->catalogue.titles[0].tags, std::vector<std::string>{"news"});
  auto cat = parse_json_catalogue(R"({"titles": [{"title": "T", "url": "https://example.org/t"}]})", wide_window());
  ASSERT_TRUE(cat);
  EXPECT_EQ(cat->catalogue.titles[0].id, "https://example.org/t");
}

TEST(RealworldJson, LibCalAjaxAnswer) {
  FeedParseOptions o = wide_window();
  o.default_zone = *TimeZone::load("Europe/Amsterdam");
  auto r = parse_feed(FeedKind::kJsonEvents, real("json/tess-libcal-ajax-vu.json"), o);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->catalogue.events.size(), 1u);
  const auto& e = r->catalogue.events[0];
  EXPECT_EQ(e.id, "3826342");
  EXPECT_EQ(e.title, "ENDNOTE LIGHT");
  EXPECT_EQ(e.start, utc("2022-01-10T12:00:00Z"));  // 13:00 in the calendar's zone (CET)
  EXPECT_EQ(e.end, utc("2022-01-10T14:00:00Z"));
  EXPECT_EQ(e.url, "https://vu-nl.libcal.com/event/3826342");
  EXPECT_EQ(e.tags, std::vector<std::string>{"information skills > endnote"});
  EXPECT_NE(e.description.find("EndNote"), std::string::npos);
}

TEST(RealworldEncoding, BrowserOrder) {
  // BOM beats the declaration.
  auto a = xml_to_utf8("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xC3\xA9</a>", "", "s");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->encoding, "utf-8");
  EXPECT_NE(a->text.find("<a>\xC3\xA9</a>"), std::string::npos);
  // The declaration beats the HTTP charset; ISO-8859-1 means Windows-1252 (0x80 is the euro sign).
  auto b = xml_to_utf8("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>\x80\xE9</a>", "utf-8", "s");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->encoding, "windows-1252");
  EXPECT_NE(b->text.find("<a>\xE2\x82\xAC\xC3\xA9</a>"), std::string::npos);
  // Without a declaration, the HTTP charset.
  auto c = xml_to_utf8("<a>\xE9</a>", "ISO-8859-15", "s");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->encoding, "iso-8859-15");
  // Then UTF-8 when valid, else Windows-1252.
  auto d = xml_to_utf8("<a>\xC3\xA9</a>", "", "s");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->encoding, "utf-8");
  auto e = xml_to_utf8("<a>\xE9</a>", "", "s");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->encoding, "windows-1252");
  EXPECT_EQ(e->text, "<a>\xC3\xA9</a>");
  // A declared encoding the bytes are not valid in is passed over.
  auto f = xml_to_utf8("<?xml version=\"1.0\" encoding=\"utf-8\"?><a>\xE9</a>", "", "s");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->encoding, "windows-1252");
  EXPECT_FALSE(f->note.empty());
  // UTF-16 without a mark, recognised from "<?".
  std::string u16("<\0?\0x\0m\0l\0 \0v\0e\0r\0s\0i\0o\0n\0=\0\"\0001\0.\0000\0\"\0?\0>\0<\0a\0/\0>\0", 50);
  auto g = xml_to_utf8(u16, "", "s");
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->encoding, "utf-16le");
  EXPECT_EQ(g->text, "<?xml version=\"1.0\"?><a/>");
}

}  // namespace
}  // namespace branchcast
