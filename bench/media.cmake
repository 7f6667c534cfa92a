# The screen's figures (issue 3): transition gaps, CPU/RSS against gst-launch playbin, start to
# first frame. Run: build/bench_media [--quick] [--only cpu|first|gaps|loop] (about 7 minutes in
# full; --only cpu is the 1-minute CPU/RSS part). Prints the tables recorded in docs/media.md.
add_executable(bench_media ${CMAKE_CURRENT_LIST_DIR}/media/media_bench.cpp)
target_link_libraries(bench_media PRIVATE branchcast_appliance_runtime branchcast_media_gst)
target_include_directories(bench_media PRIVATE ${PROJECT_SOURCE_DIR})
set_target_properties(bench_media PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
