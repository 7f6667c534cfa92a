#!/usr/bin/python3
"""Oracle for ical_fast_rules_test.cpp: python3-dateutil's rrule (RFC 5545 semantics, WKST default
Monday). Reads lines "RULE START N" on stdin; prints, per line, the first N occurrences
(YYYYMMDDTHHMMSS, or YYYYMMDD for a DATE start) separated by spaces."""
import datetime
import sys

from dateutil.rrule import rrulestr

for line in sys.stdin:
    rule, start, n = line.split()
    is_date = len(start) == 8
    dt = datetime.datetime.strptime(start, "%Y%m%d" if is_date else "%Y%m%dT%H%M%S")
    out = []
    for t in rrulestr(rule, dtstart=dt):
        out.append(t.strftime("%Y%m%d" if is_date else "%Y%m%dT%H%M%S"))
        if len(out) >= int(n):
            break
    print(" ".join(out))
