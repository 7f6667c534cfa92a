# Feeds: iCal parse + expand of a generated 5 000-event calendar vs python3-recurring-ical-events.
add_executable(bench_feeds_ical ${CMAKE_CURRENT_SOURCE_DIR}/feeds/ical_bench.cpp)
target_link_libraries(bench_feeds_ical PRIVATE branchcast_feeds)
target_compile_definitions(bench_feeds_ical PRIVATE BRANCHCAST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
