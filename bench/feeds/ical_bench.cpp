// iCal parse + expand of a generated 5 000-event calendar (recurrences over a year), against
// python3-recurring-ical-events on the same file in the same run. Prints events/s and the ratio.
//
// Usage: bench_feeds_ical [EVENTS]   (default 5000; the file is written to $TMPDIR or /tmp)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "feeds/feed_parser.h"

namespace {

std::string generate(int events, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::ostringstream o;
  o << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//branchcast//bench//EN\r\n"
       "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\n"
       "DTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
       "BEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nDTSTART:19701025T020000\r\n"
       "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
  static const char* const kDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  static const char* const kTags[] = {"storytime", "author", "children", "digital", "history", "crafts"};
  for (int i = 0; i < events; ++i) {
    int month = 1 + pick(12), day = 1 + pick(28), hour = 9 + pick(10), kind = pick(10);
    char start[64];  // room for any int: -Wformat-truncation cannot see pick()'s range
    std::snprintf(start, sizeof start, "2026%02d%02dT%02d%02d00", month, day, hour, pick(4) * 15);
    o << "BEGIN:VEVENT\r\nUID:bench-" << i << "@branchcast\r\nDTSTAMP:20260101T000000Z\r\n"
      << "DTSTART;TZID=Europe/London:" << start << "\r\nDURATION:PT" << (1 + pick(2)) << "H\r\n"
      << "SUMMARY:Event " << i << "\r\nCATEGORIES:" << kTags[pick(6)] << "," << kTags[pick(6)] << "\r\n";
    if (kind < 6) {
      o << "RRULE:FREQ=WEEKLY;BYDAY=" << kDays[pick(7)] << (pick(2) ? ";COUNT=20" : "") << "\r\n";
      if (pick(3) == 0) o << "EXDATE;TZID=Europe/London:" << start << "\r\n";
    } else if (kind < 8) {
      char until[64];
      std::snprintf(until, sizeof until, "2026%02d28T235959Z", month < 12 ? month + 1 : 12);
      o << "RRULE:FREQ=DAILY;UNTIL=" << until << "\r\n";
    } else if (kind < 9) {
      o << "RRULE:FREQ=MONTHLY;BYDAY=" << (1 + pick(4)) << kDays[pick(7)] << "\r\n";
    }
    o << "END:VEVENT\r\n";
  }
  o << "END:VCALENDAR\r\n";
  return o.str();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace branchcast;
  int events = argc > 1 ? std::atoi(argv[1]) : 5000;
  std::string ics = generate(events, 42);
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp ? tmp : "/tmp") + "/branchcast-bench-" + std::to_string(events) + ".ics";
  std::ofstream(path, std::ios::binary) << ics;

  FeedParseOptions o;
  o.source = path;
  o.window_start = *TimeZone::utc().parse_iso("2026-01-01");
  o.window_end = *TimeZone::utc().parse_iso("2027-01-01");
  o.max_occurrences = 10'000'000;
  double best = 1e9;
  size_t occurrences = 0;
  for (int run = 0; run < 3; ++run) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = parse_ical(ics, o);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r) {
      std::fprintf(stderr, "parse failed: %s\n", r.error().to_string().c_str());
      return 1;
    }
    occurrences = r->catalogue.events.size();
    best = std::min(best, s);
  }
  std::printf("branchcast   : %d events, %zu occurrences in 2026, %.3f s (best of 3): %.0f events/s, %.0f occurrences/s\n",
              events, occurrences, best, events / best, occurrences / best);

  std::string cmd = "/usr/bin/python3 '" BRANCHCAST_SOURCE_DIR "/bench/feeds/ical_reference_bench.py' '" + path +
                    "' 2026-01-01 2027-01-01";
  FILE* p = popen(cmd.c_str(), "r");
  double ref = 0;
  size_t ref_count = 0;
  if (!p || std::fscanf(p, "%lf %zu", &ref, &ref_count) != 2) {
    std::printf("reference    : python3-recurring-ical-events not available\n");
    if (p) pclose(p);
    return 0;
  }
  pclose(p);
  std::printf("reference    : %zu occurrences, %.3f s (best of 3): %.0f events/s\n", ref_count, ref, events / ref);
  std::printf("ratio        : branchcast is %.1fx faster than python3-recurring-ical-events\n", ref / best);
  return 0;
}
