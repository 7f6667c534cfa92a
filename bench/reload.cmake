# Frame gaps during a config reload (issue 13, item 3): a ~4 MiB playlist reloaded on the worker
# (as the daemon does) against a 30 fps frame tick on the GLib loop, printed against a baseline
# with no reload and against loading on the loop thread (as before), in the same run; then a
# playlist change applied in place through run_appliance (the real `branchcast run` path).
# Run: build/bench/bench_config_reload. Recorded in README.md and docs/services.md.
add_executable(bench_config_reload ${CMAKE_CURRENT_LIST_DIR}/reload/reload_frames_bench.cpp)
target_link_libraries(bench_config_reload PRIVATE branchcast_cli branchcast_services_config branchcast_event_loop)
target_include_directories(bench_config_reload PRIVATE ${PROJECT_SOURCE_DIR})
