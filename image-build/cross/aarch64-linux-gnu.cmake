# CMake toolchain for cross-building branchcast for arm64 with Debian's multiarch
# (g++-aarch64-linux-gnu and the :arm64 -dev packages). Used inside the cross-build chroot
# that scripts/build-image.sh creates; see docs/image.md.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
