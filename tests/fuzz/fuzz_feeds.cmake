# Feed parsers (feeds/): iCalendar, RSS/Atom, JSON (events, catalogue, loans).
branchcast_fuzzer(feeds_ical SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_feeds_ical.cpp LIBS branchcast_feeds)
branchcast_fuzzer(feeds_xml SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_feeds_xml.cpp LIBS branchcast_feeds)
branchcast_fuzzer(feeds_json SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_feeds_json.cpp LIBS branchcast_feeds)
