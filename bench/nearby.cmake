# Sighting of a recognised patron -> provider request on loopback (issue 6 figure).
if(TARGET notify_test_support)
  add_executable(bench_nearby_latency ${CMAKE_CURRENT_LIST_DIR}/nearby/nearby_latency_bench.cpp)
  target_link_libraries(bench_nearby_latency PRIVATE branchcast_cli notify_test_support)
  target_include_directories(bench_nearby_latency PRIVATE ${PROJECT_SOURCE_DIR})
endif()
