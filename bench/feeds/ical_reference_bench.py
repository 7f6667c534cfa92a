#!/usr/bin/python3
"""Times python3-recurring-ical-events on one calendar: prints "<seconds> <occurrences>".
Usage: ical_reference_bench.py FILE FROM TO   (dates YYYY-MM-DD, UTC); best of 3 runs."""
import datetime
import sys
import time

import icalendar
import pytz
import recurring_ical_events


def main():
    data = open(sys.argv[1], "rb").read()
    start = pytz.utc.localize(datetime.datetime.strptime(sys.argv[2], "%Y-%m-%d"))
    stop = pytz.utc.localize(datetime.datetime.strptime(sys.argv[3], "%Y-%m-%d"))
    best, count = None, 0
    for _ in range(3):
        t0 = time.perf_counter()
        cal = icalendar.Calendar.from_ical(data)
        count = len(recurring_ical_events.of(cal).between(start, stop))
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    print("%.6f %d" % (best, count))


if __name__ == "__main__":
    main()
