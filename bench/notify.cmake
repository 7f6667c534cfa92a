# Notification bench: outbox throughput with fsync'd state, and per-provider build+send latency,
# against a loopback HTTP server (the test support server, compiled in).
find_package(Threads REQUIRED)
add_executable(bench_notify ${CMAKE_CURRENT_LIST_DIR}/notify/notify_bench.cpp
               ${PROJECT_SOURCE_DIR}/tests/notify/support/loopback_http_server.cpp)
target_include_directories(bench_notify PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(bench_notify PRIVATE branchcast_notify branchcast_store branchcast_http_curl Threads::Threads)
