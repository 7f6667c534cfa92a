#!/usr/bin/python3
"""Hostile inputs at the limits (issue 13, item 4): writes into OUT_DIR
  big.ics    iCal: EVENTS VEVENTs (each with a ~DESC-byte description), to ~BYTES
  big.xml    RSS 2.0: EVENTS items
  big.json   json-events: EVENTS events
  cat.json   json-catalogue: EVENTS titles
  feed.json  jsonfeed: EVENTS items
  nodes.yaml a playlist of text items with just under NODES YAML nodes
Usage: make_hostile.py OUT_DIR EVENTS BYTES NODES
Each file stops at whichever comes first, EVENTS entries or BYTES bytes, so "at the limits"
means as many entries as the item limit allows, each as large as the byte limit leaves room for.
"""
import json, os, sys

out, events, limit, nodes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(out, exist_ok=True)
# Room per entry under the byte limit (leave 1% for the envelope).
per = max(120, int(limit * 0.99) // max(1, events))


def filler(i, n):
    s = ("Event %d: " % i) + "storytime crafts reading club " * (n // 30 + 1)
    return s[:max(8, n)]


def ical():
    with open(os.path.join(out, "big.ics"), "w") as f:
        f.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n")
        for i in range(events):
            head = "BEGIN:VEVENT\r\nUID:e%d@bench\r\nDTSTART:2027%02d%02dT100000Z\r\nDTEND:2027%02d%02dT110000Z\r\nSUMMARY:Event %d\r\nLOCATION:Room %d\r\n" % (
                i, 1 + i % 12, 1 + i % 28, 1 + i % 12, 1 + i % 28, i, i % 7)
            desc = filler(i, per - len(head) - 40)
            # RFC 5545 folding at 74 octets
            line = "DESCRIPTION:" + desc
            folded = "\r\n ".join(line[j:j + 74] for j in range(0, len(line), 74))
            entry = head + folded + "\r\nEND:VEVENT\r\n"
            if f.tell() + len(entry) > limit - 64:
                break
            f.write(entry)
        f.write("END:VCALENDAR\r\n")


def rss():
    with open(os.path.join(out, "big.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>bench</title>\n')
        for i in range(events):
            head = "<item><title>Title %d</title><link>https://lib.example.org/r/%d</link><guid>g%d</guid><pubDate>Mon, 02 Nov 2026 09:00:00 +0000</pubDate>" % (i, i, i)
            entry = head + "<description>" + filler(i, per - len(head) - 40) + "</description></item>\n"
            if f.tell() + len(entry) > limit - 64:
                break
            f.write(entry)
        f.write("</channel></rss>\n")


def json_list(name, top, make):
    with open(os.path.join(out, name), "w") as f:
        f.write('{"%s": [\n' % top)
        for i in range(events):
            entry = json.dumps(make(i))
            if f.tell() + len(entry) > limit - 64:
                break
            f.write(("," if i else "") + entry + "\n")
        f.write("]}\n")


def json_event(i):
    e = {"id": i, "title": "Event %d" % i, "start": "2027-%02d-%02d 10:00:00" % (1 + i % 12, 1 + i % 28),
         "end": "2027-%02d-%02d 11:00:00" % (1 + i % 12, 1 + i % 28), "location": "Room %d" % (i % 7)}
    e["description"] = filler(i, per - len(json.dumps(e)) - 20)
    return e


def json_title(i):
    t = {"id": "t%d" % i, "title": "Title %d" % i, "kind": "book", "added": "2026-11-02"}
    t["description"] = filler(i, per - len(json.dumps(t)) - 20)
    return t


def jsonfeed():
    with open(os.path.join(out, "feed.json"), "w") as f:
        f.write('{"version": "https://jsonfeed.org/version/1.1", "title": "bench", "items": [\n')
        for i in range(events):
            item = {"id": "i%d" % i, "title": "Item %d" % i, "url": "https://lib.example.org/i/%d" % i}
            item["content_text"] = filler(i, per - len(json.dumps(item)) - 20)
            entry = json.dumps(item)
            if f.tell() + len(entry) > limit - 64:
                break
            f.write(("," if i else "") + entry + "\n")
        f.write("]}\n")


def yaml_nodes():
    # Each "- text: ..." item is a map, a key and a value: 3 nodes, plus the document's own few.
    with open(os.path.join(out, "nodes.yaml"), "w") as f:
        f.write("default:\n")
        for i in range((nodes - 10) // 3):
            f.write('  - text: "Item %d"\n' % i)


ical()
rss()
json_list("big.json", "events", json_event)
json_list("cat.json", "titles", json_title)
jsonfeed()
yaml_nodes()
for n in sorted(os.listdir(out)):
    print("%-10s %8.2f MiB" % (n, os.path.getsize(os.path.join(out, n)) / 1048576))
