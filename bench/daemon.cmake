# The daemon's figures (issue 7): RSS over 24 simulated hours (accelerated clock) and restart to
# first frame against a bare gst-launch-1.0 playbin. Run: build/bench/bench_daemon_soak,
# build/bench/bench_daemon_start. Recorded in docs/services.md and README.md.
if(TARGET branchcast)
  add_executable(bench_daemon_soak ${CMAKE_CURRENT_LIST_DIR}/daemon/soak_bench.cpp)
  target_link_libraries(bench_daemon_soak PRIVATE branchcast_cli)
  target_include_directories(bench_daemon_soak PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(bench_daemon_soak PRIVATE BRANCHCAST_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_dependencies(bench_daemon_soak demo_branch)

  add_executable(bench_daemon_start ${CMAKE_CURRENT_LIST_DIR}/daemon/start_bench.cpp)
  target_compile_definitions(bench_daemon_start PRIVATE BRANCHCAST_BINARY_DIR="${PROJECT_BINARY_DIR}")
  target_include_directories(bench_daemon_start PRIVATE ${PROJECT_SOURCE_DIR})
  add_dependencies(bench_daemon_start branchcast demo_branch)
endif()
