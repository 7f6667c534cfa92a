#!/usr/bin/python3
"""Peer readings of real-world feeds for feeds_realworld_peer_test (tests/feeds/realworld_peer_test.cpp).

For each file given, prints one JSON line on stdout:
  {"file": PATH, "kind": KIND, "items": [...]}   or   {"file": PATH, "kind": KIND, "error": "..."}
KIND comes from the file's folder: ical -> "ical", rss/atom -> "xml", json -> "jsonfeed" when the
document declares a jsonfeed.org version, else "json-events". Peers:
  ical      Debian's python3-recurring-ical-events 2.0.1 (+ python3-icalendar): occurrences
            [uid, start, end] in the window, as reference_occurrences.py (floating times as UTC,
            cancelled events dropped);
  xml       python3-feedparser 6.0.10: per entry {title, link, date (published, else updated, UTC),
            authors, images (every image candidate: media:thumbnail, image media:content,
            itunes:image, image enclosures)};
  jsonfeed  the JSON Feed 1.1 text read literally with the json module (feedparser 6.0.10 has no
            JSON Feed support): {title, link (url, else external_url), date, authors, images};
  json-events  LibCal answers read literally: {title, start ("startdt", else "start"), link}.

Usage: peer_feeds.py FROM TO FILE...   (FROM/TO as YYYY-MM-DD, UTC; the iCal window)
"""
import calendar
import datetime
import email.utils
import json
import os
import re
import sys

import icalendar
import pytz
import recurring_ical_events

IMAGE_EXT = re.compile(r"\.(jpe?g|png|gif|webp|avif)$", re.I)


def fmt(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=pytz.utc)
        return value.astimezone(pytz.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.strftime("%Y-%m-%d")


def ical_items(path, start, stop):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    out = []
    for ev in recurring_ical_events.of(cal).between(start, stop):
        if str(ev.get("STATUS", "")).upper() == "CANCELLED":
            continue
        end = ev["DTEND"].dt if "DTEND" in ev else ev["DTSTART"].dt
        out.append([str(ev.get("UID", "")), fmt(ev["DTSTART"].dt), fmt(end)])
    return sorted(out)


def image_path(url):
    return bool(IMAGE_EXT.search(url.split("?")[0].split("#")[0]))


def struct_utc(t):
    return datetime.datetime.utcfromtimestamp(calendar.timegm(t)).strftime("%Y-%m-%dT%H:%M:%SZ") if t else ""


def xml_items(path):
    import feedparser
    d = feedparser.parse(path)
    if not d.entries and d.bozo:
        raise ValueError(str(d.bozo_exception))
    out = []
    for e in d.entries:
        images = [m.get("url", "") for m in e.get("media_thumbnail", [])]
        for m in e.get("media_content", []):
            url = m.get("url", "")
            medium, typ = m.get("medium", ""), m.get("type", "")
            if medium == "image" or typ.startswith("image/") or (not medium and not typ and image_path(url)):
                images.append(url)
        if isinstance(e.get("image"), dict) and e["image"].get("href"):
            images.append(e["image"]["href"])
        for enc in e.get("enclosures", []):
            if enc.get("type", "").startswith("image/"):
                images.append(enc.get("href", ""))
        authors = [a.get("name", "") for a in e.get("authors", []) if a.get("name")]
        out.append({"title": e.get("title", ""), "link": e.get("link", ""),
                    "date": struct_utc(e.get("published_parsed") or e.get("updated_parsed")),
                    "authors": authors, "images": [i for i in images if i]})
    return out


def jsonfeed_items(doc):
    def authors_of(j):
        names = [a.get("name", "") for a in j.get("authors", []) if isinstance(a, dict) and a.get("name")]
        if not names and isinstance(j.get("author"), dict) and j["author"].get("name"):
            names = [j["author"]["name"]]
        return names
    feed_authors = authors_of(doc)
    out = []
    for e in doc.get("items", []):
        when = e.get("date_published") or e.get("date_modified") or ""
        date = ""
        if when:
            try:
                t = datetime.datetime.fromisoformat(when.replace("Z", "+00:00"))
            except ValueError:  # not RFC 3339 as the spec asks, but an RFC 822 date
                t = email.utils.parsedate_to_datetime(when)
            date = fmt(t if t.tzinfo else t.replace(tzinfo=pytz.utc))
        images = [u for u in (e.get("image"), e.get("banner_image")) if u]
        out.append({"title": e.get("title", ""), "link": e.get("url") or e.get("external_url") or "",
                    "date": date, "authors": authors_of(e) or feed_authors, "images": images[:1]})
    return out


def libcal_items(doc):
    rows = doc.get("results") or doc.get("events") or []
    out = []
    for e in rows:
        start = e.get("startdt") or e.get("start") or ""
        t = datetime.datetime.strptime(start, "%Y-%m-%d %H:%M:%S") if " " in start else datetime.datetime.fromisoformat(start)
        out.append({"title": e.get("title", ""), "link": e.get("url", ""), "date": fmt(t), "authors": [], "images": []})
    return out


def kind_of(path):
    folder = os.path.basename(os.path.dirname(path))
    if folder == "ical":
        return "ical"
    if folder in ("rss", "atom"):
        return "xml"
    with open(path, "rb") as f:
        head = f.read(4096)
    return "jsonfeed" if b"jsonfeed.org/version" in head else "json-events"


def main():
    start = pytz.utc.localize(datetime.datetime.strptime(sys.argv[1], "%Y-%m-%d"))
    stop = pytz.utc.localize(datetime.datetime.strptime(sys.argv[2], "%Y-%m-%d"))
    for path in sys.argv[3:]:
        kind = kind_of(path)
        try:
            if kind == "ical":
                items = ical_items(path, start, stop)
            elif kind == "xml":
                items = xml_items(path)
            else:
                with open(path, "rb") as f:
                    doc = json.loads(f.read())
                items = jsonfeed_items(doc) if kind == "jsonfeed" else libcal_items(doc)
            print(json.dumps({"file": path, "kind": kind, "items": items}))
        except Exception as e:  # the peer failing on a file is itself a result
            print(json.dumps({"file": path, "kind": kind, "error": "%s: %s" % (type(e).__name__, e)}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
