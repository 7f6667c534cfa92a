# The screen runtime (issue 3): ScreenRunner (scheduler-driven playback over the media ports),
# the per-screen composition (screen_session), the `run` loop and `preview`. Linked into the CLI
# by appliance/CMakeLists.txt when this target exists.
find_package(PkgConfig REQUIRED)
pkg_check_modules(RUNTIME_GLIB REQUIRED IMPORTED_TARGET glib-2.0)
branchcast_module(branchcast_appliance_runtime
  SOURCES screen_session.cpp screen_loop.cpp screen_wall.cpp run_loop.cpp clock_step_watch.cpp display_watch.cpp preview.cpp
          feed_pictures.cpp
  DEPS branchcast_media branchcast_media_gst branchcast_media_sdl branchcast_scheduler
       branchcast_store branchcast_event_loop branchcast_config)
target_link_libraries(branchcast_appliance_runtime PRIVATE PkgConfig::RUNTIME_GLIB)
