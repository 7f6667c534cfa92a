#!/usr/bin/python3
"""Reference occurrences for the iCalendar comparison test (tests/feeds/ical_reference_test.cpp).

Runs Debian's python3-recurring-ical-events (+ python3-icalendar) over each .ics file given and
prints one JSON object per file on stdout:
  {"file": PATH, "occurrences": [[uid, start, end], ...]}   or   {"file": PATH, "error": "..."}
start/end are "YYYY-MM-DD" for all-day (DATE) values, else UTC "YYYY-MM-DDTHH:MM:SSZ"; floating
times are taken as UTC (the C++ side parses with UTC as the default zone too).

Deliberate difference, applied here so that per-file allow-lists stay about real disagreements:
occurrences whose event has STATUS:CANCELLED are dropped (Branchcast never shows cancelled events;
recurring_ical_events 2.0.1 returns them).

Usage: reference_occurrences.py FROM TO FILE...   (FROM/TO as YYYY-MM-DD, UTC)
"""
import datetime
import json
import sys

import icalendar
import pytz
import recurring_ical_events


def fmt(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=pytz.utc)
        return value.astimezone(pytz.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.strftime("%Y-%m-%d")


def occurrences(path, start, stop):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    out = []
    for ev in recurring_ical_events.of(cal).between(start, stop):
        if str(ev.get("STATUS", "")).upper() == "CANCELLED":
            continue
        out.append([str(ev.get("UID", "")), fmt(ev["DTSTART"].dt), fmt(ev["DTEND"].dt)])
    return sorted(out)


def main():
    start = pytz.utc.localize(datetime.datetime.strptime(sys.argv[1], "%Y-%m-%d"))
    stop = pytz.utc.localize(datetime.datetime.strptime(sys.argv[2], "%Y-%m-%d"))
    for path in sys.argv[3:]:
        try:
            print(json.dumps({"file": path, "occurrences": occurrences(path, start, stop)}))
        except Exception as e:  # the reference failing on a file is itself a result
            print(json.dumps({"file": path, "error": "%s: %s" % (type(e).__name__, e)}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
