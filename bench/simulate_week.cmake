# Issue 17 figures: `simulate` of a demo week with feeds and recommendations against the same week
# without them, and `schedule` of a week for the demo's two screens.
if(TARGET branchcast_cli)
  add_executable(bench_simulate_week ${CMAKE_CURRENT_LIST_DIR}/simulate_week/simulate_week_bench.cpp)
  target_link_libraries(bench_simulate_week PRIVATE branchcast_cli)
  target_compile_definitions(bench_simulate_week PRIVATE DEMO_BRANCH="${PROJECT_BINARY_DIR}/demo-branch")
  if(TARGET demo_branch)
    add_dependencies(bench_simulate_week demo_branch)
  endif()
endif()
