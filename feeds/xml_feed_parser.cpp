// RSS 2.0 / RSS 1.0 (RDF) / Atom 1.0 via libxml2, safely: no entity substitution (no
// XML_PARSE_NOENT), no network (XML_PARSE_NONET), no DTD loading, libxml2's default size and depth
// limits (no XML_PARSE_HUGE). Documents that declare entities are refused outright: feeds have no
// use for them and they are the vehicle of billion-laughs and external-entity attacks.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "common/strings.h"
#include "feeds/feed_dates.h"
#include "feeds/feed_parser.h"
#include "feeds/html_text.h"
#include "feeds/isbn.h"
#include "feeds/text_encoding.h"

namespace branchcast {
namespace {

constexpr const char* kAtom = "http://www.w3.org/2005/Atom";
constexpr const char* kDc = "http://purl.org/dc/elements/1.1/";
constexpr const char* kContent = "http://purl.org/rss/1.0/modules/content/";
constexpr const char* kMedia = "http://search.yahoo.com/mrss/";
constexpr const char* kRss1 = "http://purl.org/rss/1.0/";
constexpr const char* kItunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";

using DocPtr = std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)>;
using CtxtPtr = std::unique_ptr<xmlParserCtxt, void (*)(xmlParserCtxtPtr)>;

const char* ns_of(xmlNodePtr n) { return n->ns && n->ns->href ? reinterpret_cast<const char*>(n->ns->href) : ""; }

// Element `n` is named `name` in namespace `ns` ("" = none; RSS 1.0 elements count as none).
bool is(xmlNodePtr n, const char* ns, const char* name) {
  if (n->type != XML_ELEMENT_NODE || std::strcmp(reinterpret_cast<const char*>(n->name), name) != 0) return false;
  const char* have = ns_of(n);
  if (*ns == '\0') return *have == '\0' || std::strcmp(have, kRss1) == 0;
  return std::strcmp(have, ns) == 0;
}

std::string attr(xmlNodePtr n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return "";
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return s;
}

// Text and CDATA of an element's subtree (character and predefined entity references are already
// replaced by the parser), capped.
std::string text(xmlNodePtr n, size_t max_bytes = 256 * 1024) {
  std::string out;
  std::vector<xmlNodePtr> stack{n};
  while (!stack.empty() && out.size() < max_bytes) {
    xmlNodePtr c = stack.back();
    stack.pop_back();
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      out += reinterpret_cast<const char*>(c->content);
    } else if (c->type == XML_ELEMENT_NODE) {
      std::vector<xmlNodePtr> kids;
      for (xmlNodePtr k = c->children; k; k = k->next) kids.push_back(k);
      stack.insert(stack.end(), kids.rbegin(), kids.rend());
    }
  }
  if (out.size() > max_bytes) out.resize(max_bytes);
  return out;
}

// `href` resolved against the node's xml:base chain and the document URL.
std::string resolve(xmlDocPtr doc, xmlNodePtr n, const std::string& href) {
  std::string h(trim(href));
  if (h.empty()) return "";
  xmlChar* base = xmlNodeGetBase(doc, n);
  xmlChar* full = xmlBuildURI(reinterpret_cast<const xmlChar*>(h.c_str()), base);
  std::string out = full ? reinterpret_cast<const char*>(full) : h;
  if (full) xmlFree(full);
  if (base) xmlFree(base);
  // Only web links are useful on a screen or a QR code.
  if (!starts_with(out, "http://") && !starts_with(out, "https://")) return "";
  return out;
}

void add_unique(std::vector<std::string>& v, std::string s) {
  s = std::string(trim(s));
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

// RSS <author> is "email (Name)"; keep the name.
std::string rss_author(const std::string& raw) {
  auto open = raw.find('('), close = raw.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open)
    return raw.substr(open + 1, close - open - 1);
  if (raw.find('@') != std::string::npos) return "";  // an address alone identifies a person: drop
  return raw;
}

// A URL whose path (query and fragment ignored) ends in an image extension.
bool image_path(const std::string& url) {
  std::string path = to_lower(url.substr(0, url.find_first_of("?#")));
  for (const char* ext : {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"})
    if (path.ends_with(ext)) return true;
  return false;
}

// Media RSS: is this media:content (or enclosure) an image? medium="image", an image/* type, or,
// untyped, an image file name (The Guardian writes only url and width).
bool media_is_image(xmlNodePtr n, const std::string& url) {
  std::string medium = attr(n, "medium"), type = attr(n, "type");
  if (medium == "image" || starts_with(type, "image/")) return true;
  return medium.empty() && type.empty() && image_path(url);
}

// The best image of an item, collected from its elements. Media RSS first (a thumbnail, or the
// widest image content; thumbnails nested in media:content or media:group count: Vimeo, YouTube),
// then itunes:image, then an image enclosure / Atom link rel=enclosure.
struct ImagePick {
  std::string media;
  long media_width = -1;
  std::string itunes;
  std::string enclosure;

  void offer_media(const std::string& url, xmlNodePtr n) {
    if (url.empty()) return;
    long w = std::strtol(attr(n, "width").c_str(), nullptr, 10);
    if (media.empty() || w > media_width) {
      media = url;
      media_width = w;
    }
  }
  std::string best() const { return !media.empty() ? media : !itunes.empty() ? itunes : enclosure; }
};

class XmlReader {
 public:
  XmlReader(xmlDocPtr doc, const FeedParseOptions& o, ParsedFeed& out) : doc_(doc), opt_(o), out_(out) {}

  void item(xmlNodePtr it, bool atom) {
    if (out_.catalogue.titles.size() >= opt_.max_items) {
      if (!capped_) out_.warnings.push_back(opt_.source + ": more than " + std::to_string(opt_.max_items) + " items; the rest are ignored");
      capped_ = true;
      return;
    }
    CatalogueTitle t;
    t.feed = opt_.feed_id;
    std::string guid, published, updated, summary, content;
    ImagePick images;
    for (xmlNodePtr c = it->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      const char* own = atom ? kAtom : "";
      if (is(c, own, "title")) t.title = html_to_text(text(c), false, 1024);
      else if (!atom && is(c, "", "link")) t.url = resolve(doc_, c, text(c));
      else if (atom && is(c, kAtom, "link")) {
        std::string rel = attr(c, "rel"), type = attr(c, "type");
        if (rel.empty() || rel == "alternate") { if (t.url.empty()) t.url = resolve(doc_, c, attr(c, "href")); }
        else if (rel == "enclosure" && starts_with(type, "image/") && images.enclosure.empty())
          images.enclosure = resolve(doc_, c, attr(c, "href"));
      } else if (is(c, "", "guid") || is(c, kAtom, "id")) guid = std::string(trim(text(c)));
      else if (is(c, "", "description") || is(c, kAtom, "summary")) summary = text(c);
      else if (is(c, kContent, "encoded") || is(c, kAtom, "content")) content = text(c);
      else if (is(c, "", "pubDate") || is(c, kAtom, "published")) published = text(c);
      else if (is(c, kDc, "date") || is(c, kAtom, "updated")) updated = text(c);
      else if (is(c, kDc, "creator") || is(c, kItunes, "author")) add_unique(t.authors, html_to_text(text(c)));
      else if (is(c, "", "author")) add_unique(t.authors, html_to_text(rss_author(text(c))));
      else if (is(c, kAtom, "author")) {
        for (xmlNodePtr a = c->children; a; a = a->next)
          if (is(a, kAtom, "name")) add_unique(t.authors, html_to_text(text(a)));
      } else if (is(c, "", "category") || is(c, kDc, "subject")) {
        add_unique(t.subjects, html_to_text(text(c)));
      } else if (is(c, kAtom, "category")) {
        std::string label = attr(c, "label");
        add_unique(t.subjects, html_to_text(label.empty() ? attr(c, "term") : label));
      } else if (is(c, kDc, "identifier")) {
        if (auto i = normalize_isbn(text(c))) t.isbn = *i;
      } else if (is(c, kMedia, "thumbnail") || is(c, kMedia, "content") || is(c, kMedia, "group")) {
        media(c, images, 0);
      } else if (is(c, kItunes, "image")) {
        if (images.itunes.empty()) images.itunes = resolve(doc_, c, attr(c, "href"));
      } else if (is(c, "", "enclosure")) {
        std::string url = resolve(doc_, c, attr(c, "url"));
        if (images.enclosure.empty() && (starts_with(attr(c, "type"), "image/") ||
                                         (attr(c, "type").empty() && image_path(url))))
          images.enclosure = url;
      }
    }
    t.image = images.best();
    if (t.isbn.empty() && (starts_with(to_lower(guid), "urn:isbn:") || starts_with(to_lower(guid), "isbn:"))) {
      if (auto i = normalize_isbn(guid)) t.isbn = *i;
    }
    for (const auto& s : t.subjects) add_unique(t.tags, to_lower(s));
    t.description = html_to_text(content.empty() ? summary : content, true, 16 * 1024);
    std::string when = published.empty() ? updated : published;
    if (!when.empty()) {
      if (auto d = parse_feed_date(when, opt_.default_zone)) t.added = *d;
      else out_.warnings.push_back(opt_.source + ":" + std::to_string(xmlGetLineNo(it)) + ": unreadable date '" + std::string(trim(when)).substr(0, 40) + "'");
    }
    t.id = !t.isbn.empty() ? "isbn:" + t.isbn : !guid.empty() ? guid : !t.url.empty() ? t.url : t.title;
    if (t.id.empty()) return;  // nothing to show or to refer to
    out_.catalogue.titles.push_back(std::move(t));
  }

 private:
  // media:thumbnail, media:content (an image itself, or holding media:thumbnail), media:group.
  void media(xmlNodePtr c, ImagePick& images, int depth) {
    if (depth > 2) return;
    if (is(c, kMedia, "thumbnail")) {
      images.offer_media(resolve(doc_, c, attr(c, "url")), c);
    } else if (is(c, kMedia, "content")) {
      std::string url = resolve(doc_, c, attr(c, "url"));
      if (media_is_image(c, url)) images.offer_media(url, c);
      for (xmlNodePtr k = c->children; k; k = k->next)
        if (is(k, kMedia, "thumbnail")) media(k, images, depth + 1);
    } else if (is(c, kMedia, "group")) {
      for (xmlNodePtr k = c->children; k; k = k->next)
        if (is(k, kMedia, "thumbnail") || is(k, kMedia, "content")) media(k, images, depth + 1);
    }
  }

  xmlDocPtr doc_;
  const FeedParseOptions& opt_;
  ParsedFeed& out_;
  bool capped_ = false;
};

Error xml_error(xmlParserCtxtPtr ctxt, const std::string& source) {
  const xmlError* e = xmlCtxtGetLastError(ctxt);
  if (!e || !e->message) return make_error("not well-formed XML", SourcePlace{source, 0, 0});
  std::string msg(trim(e->message));
  for (char& ch : msg)  // libxml2 adds "\nBytes: 0x.." lines: one error, one line
    if (ch == '\n' || ch == '\r') ch = ' ';
  if (e->code == XML_ERR_ENTITY_LOOP || msg.find("ntit") != std::string::npos)
    msg += " (entity expansion refused)";
  else if (e->code == XML_ERR_DOCUMENT_END || msg.find("Premature end") != std::string::npos ||
           msg.find("EndTag") != std::string::npos)
    msg += " (truncated document?)";
  return make_error("XML error: " + msg, SourcePlace{source, e->line, e->int2});
}

bool declares_entities(xmlDocPtr doc) {
  for (xmlDtdPtr dtd : {doc->intSubset, doc->extSubset})
    if (dtd && dtd->entities && xmlHashSize(static_cast<xmlHashTablePtr>(dtd->entities)) > 0) return true;
  return false;
}

}  // namespace

Result<ParsedFeed> parse_xml_feed(std::string_view body, const FeedParseOptions& options) {
  if (static_cast<int64_t>(body.size()) > options.max_bytes || body.size() > INT32_MAX)
    return make_error(options.source + ": " + std::to_string(body.size()) + " bytes is over the limit of " +
                      std::to_string(options.max_bytes));
  CtxtPtr ctxt(xmlNewParserCtxt(), xmlFreeParserCtxt);
  if (!ctxt) return make_error(options.source + ": out of memory");
  std::string url = !options.base_url.empty() ? options.base_url
                    : starts_with(options.source, "http") ? options.source : "";
  auto utf8 = xml_to_utf8(body, options.charset, options.source);
  if (!utf8) return utf8.error();
  if (utf8->text.size() > INT32_MAX)
    return make_error(options.source + ": too large after conversion to UTF-8");
  ParsedFeed out;
  if (!utf8->note.empty())
    out.warnings.push_back(options.source + ": character encoding: " + utf8->note + " (used " + utf8->encoding + ")");
  // Already UTF-8: the declaration's encoding is ignored (XML_PARSE_IGNORE_ENC).
  int flags = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC;
  DocPtr doc(xmlCtxtReadMemory(ctxt.get(), utf8->text.data(), static_cast<int>(utf8->text.size()),
                               url.empty() ? nullptr : url.c_str(), "UTF-8", flags),
             xmlFreeDoc);
  if (!doc || !ctxt->wellFormed) return xml_error(ctxt.get(), options.source);
  if (declares_entities(doc.get()))
    return make_error("XML error: the document declares entities (refused: feeds need none, and "
                      "entity expansion is the billion-laughs attack)", SourcePlace{options.source, 1, 1});
  xmlNodePtr root = xmlDocGetRootElement(doc.get());
  if (!root) return make_error("empty XML document", SourcePlace{options.source, 1, 1});
  XmlReader reader(doc.get(), options, out);
  std::string name = reinterpret_cast<const char*>(root->name);
  if (name == "feed" && std::strcmp(ns_of(root), kAtom) == 0) {
    for (xmlNodePtr c = root->children; c; c = c->next)
      if (is(c, kAtom, "entry")) reader.item(c, true);
  } else if (name == "rss") {
    for (xmlNodePtr ch = root->children; ch; ch = ch->next)
      if (is(ch, "", "channel"))
        for (xmlNodePtr c = ch->children; c; c = c->next)
          if (is(c, "", "item")) reader.item(c, false);
  } else if (name == "RDF") {  // RSS 1.0: items are siblings of the channel
    for (xmlNodePtr c = root->children; c; c = c->next)
      if (is(c, "", "item")) reader.item(c, false);
  } else {
    return make_error("not an RSS or Atom feed (root element <" + name + ">)",
                      SourcePlace{options.source, static_cast<int>(xmlGetLineNo(root)), 1});
  }
  return out;
}

}  // namespace branchcast
