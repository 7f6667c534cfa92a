# Content sync bench: an HTTP bundle on loopback (the test support server, compiled in) synced
# with verification, fsync and swap, against plain downloads of the same bytes in the same run.
find_package(Threads REQUIRED)
add_executable(bench_sync ${CMAKE_CURRENT_LIST_DIR}/sync/sync_bench.cpp
               ${PROJECT_SOURCE_DIR}/tests/notify/support/loopback_http_server.cpp)
target_include_directories(bench_sync PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(bench_sync PRIVATE branchcast_services_sync branchcast_http_curl Threads::Threads)
