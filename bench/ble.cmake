# BLE figures: sightings/s through hashing + decode + smoothing + counting vs one controller's
# physical bound, memory with 10 000 devices, counting error on the simulated crowd.
find_package(benchmark QUIET)
if(benchmark_FOUND)
  add_executable(bench_ble ${CMAKE_CURRENT_LIST_DIR}/ble/ble_bench.cpp)
  target_link_libraries(bench_ble PRIVATE branchcast_ble_core benchmark::benchmark)
  target_include_directories(bench_ble PRIVATE ${PROJECT_SOURCE_DIR})
endif()
