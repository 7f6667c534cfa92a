// RSS 2.0 and Atom 1.0 through libxml2, and the XML attacks it must refuse.
#include <gtest/gtest.h>

#include "feeds/feed_parser.h"

namespace branchcast {
namespace {

FeedParseOptions opts(const std::string& source = "https://library.example.org/feeds/new.xml") {
  FeedParseOptions o;
  o.source = source;
  o.feed_id = "new";
  return o;
}

TimePoint at(const char* iso) { return *TimeZone::utc().parse_iso(iso); }

TEST(XmlFeedParser, Rss2WithNamespacesCdataEntitiesAndRelativeLinks) {
  const char* rss = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>New</title>
<item>
  <title><![CDATA[<em>The Raven</em> Black]]></title>
  <link>/record/1001</link>
  <guid isPermaLink="false">urn:isbn:0-330-44086-1</guid>
  <dc:creator>Ann Cleeves</dc:creator>
  <author>someone@example.org (Second Author)</author>
  <category>Crime</category><dc:subject>Shetland</dc:subject>
  <description>Fish &amp; chips &#233; &lt;b&gt;bold&lt;/b&gt;</description>
  <content:encoded><![CDATA[<p>Full <a href="x">text</a></p>]]></content:encoded>
  <media:thumbnail url="covers/1001.jpg"/>
  <pubDate>Mon, 02 Nov 2026 09:00:00 +0100</pubDate>
</item>
<item xml:base="https://other.example.org/base/">
  <title>Only a title &amp; a link</title><link>item2</link>
  <pubDate>Tue, 3 Nov 26 10:00 EST</pubDate>
</item>
</channel></rss>)";
  auto r = parse_xml_feed(rss, opts());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->catalogue.titles.size(), 2u);
  const auto& t = r->catalogue.titles[0];
  EXPECT_EQ(t.title, "The Raven Black");
  EXPECT_EQ(t.url, "https://library.example.org/record/1001");
  EXPECT_EQ(t.isbn, "9780330440868");
  EXPECT_EQ(t.id, "isbn:9780330440868");
  EXPECT_EQ(t.authors, (std::vector<std::string>{"Ann Cleeves", "Second Author"}));
  EXPECT_EQ(t.subjects, (std::vector<std::string>{"Crime", "Shetland"}));
  EXPECT_EQ(t.tags, (std::vector<std::string>{"crime", "shetland"}));
  EXPECT_EQ(t.description, "Full text");
  EXPECT_EQ(t.image, "https://library.example.org/feeds/covers/1001.jpg");
  EXPECT_EQ(t.added, at("2026-11-02T08:00Z"));
  const auto& u = r->catalogue.titles[1];
  EXPECT_EQ(u.title, "Only a title & a link");
  EXPECT_EQ(u.url, "https://other.example.org/base/item2");
  EXPECT_EQ(u.added, at("2026-11-03T15:00Z"));
}

TEST(XmlFeedParser, Atom) {
  const char* atom = R"(<?xml version="1.0" encoding="ISO-8859-1"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://lib.example.org/atom/">
  <title>New</title>
  <entry>
    <title type="html">&lt;b&gt;Caf)" "\xE9" R"( stories&lt;/b&gt;</title>
    <link rel="alternate" href="e/1"/>
    <link rel="enclosure" type="image/png" href="/img/1.png"/>
    <id>tag:lib.example.org,2026:1</id>
    <published>2026-03-02T09:15:30.5+01:00</published>
    <author><name>A. Writer</name></author>
    <category term="local" label="Local history"/>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>there</b></p></div></summary>
  </entry>
</feed>)";
  auto r = parse_xml_feed(atom, opts());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->catalogue.titles.size(), 1u);
  const auto& t = r->catalogue.titles[0];
  EXPECT_EQ(t.title, "Caf\xC3\xA9 stories");
  EXPECT_EQ(t.url, "https://lib.example.org/atom/e/1");
  EXPECT_EQ(t.image, "https://lib.example.org/img/1.png");
  EXPECT_EQ(t.id, "tag:lib.example.org,2026:1");
  EXPECT_EQ(t.added, at("2026-03-02T08:15:30.500Z"));
  EXPECT_EQ(t.authors, std::vector<std::string>{"A. Writer"});
  EXPECT_EQ(t.subjects, std::vector<std::string>{"Local history"});
  EXPECT_EQ(t.description, "Hello there");
}

TEST(XmlFeedParser, BillionLaughsIsRefused) {
  std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n";
  doc += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n";
  for (int i = 2; i <= 9; ++i)
    doc += "<!ENTITY lol" + std::to_string(i) + " \"" + [&] {
      std::string s;
      for (int k = 0; k < 10; ++k) s += "&lol" + std::to_string(i - 1) + ";";
      return s;
    }() + "\">\n";
  doc += "]>\n<rss><channel><item><title>&lol9;</title></item></channel></rss>\n";
  auto r = parse_xml_feed(doc, opts());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("refused"), std::string::npos) << r.error().to_string();
}

TEST(XmlFeedParser, ExternalEntitiesAreRefused) {
  auto r = parse_xml_feed("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                          "<rss><channel><item><title>&x;</title></item></channel></rss>", opts());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("refused"), std::string::npos);
}

TEST(XmlFeedParser, TruncatedAndForeignDocuments) {
  auto r = parse_xml_feed("<?xml version=\"1.0\"?>\n<rss><channel>\n<item><title>Half", opts("new.xml"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where.file, "new.xml");
  EXPECT_GE(r.error().where.line, 3);
  EXPECT_NE(r.error().message.find("XML error"), std::string::npos);
  r = parse_xml_feed("<html><body>not a feed</body></html>", opts());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("<html>"), std::string::npos);
  r = parse_xml_feed("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel><item><title>\xC3\x28</title></item></channel></rss>", opts());
  // Invalid UTF-8 in a UTF-8 document: read as Windows-1252 (as browsers and feedparser do), with
  // a warning naming the encoding used.
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings[0].find("windows-1252"), std::string::npos) << r->warnings[0];
  EXPECT_EQ(r->catalogue.titles.at(0).title, "\xC3\x83(");
}

}  // namespace
}  // namespace branchcast
