# Fleet telemetry bench: draining the SQLite buffer to a real mosquitto on loopback against one
# connection per message (baseline), and the loop-thread cost of a collect.
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
add_executable(bench_telemetry ${CMAKE_CURRENT_LIST_DIR}/telemetry/telemetry_bench.cpp
               ${PROJECT_SOURCE_DIR}/tests/services/telemetry_harness.cpp
               ${PROJECT_SOURCE_DIR}/tests/notify/support/child_process.cpp
               ${PROJECT_SOURCE_DIR}/tests/notify/support/loopback_http_server.cpp)
target_include_directories(bench_telemetry PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(bench_telemetry PRIVATE branchcast_services_telemetry branchcast_notify_mosquitto
                      OpenSSL::Crypto Threads::Threads)
