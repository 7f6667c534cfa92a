# Warnings as errors, sanitizer and fuzzer flags, and the helpers every module uses.

add_compile_options(-Wall -Wextra -Werror -Wno-error=deprecated-declarations)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 false positives in libstdc++ with -O2 (std::variant/optional copies).
  add_compile_options(-Wno-maybe-uninitialized -Wno-error=restrict -Wno-error=array-bounds
                      -Wno-error=stringop-overflow)
endif()

if(BRANCHCAST_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(BRANCHCAST_TSAN)
  if(BRANCHCAST_SANITIZE)
    message(FATAL_ERROR "BRANCHCAST_TSAN and BRANCHCAST_SANITIZE cannot be combined")
  endif()
  # GCC 12 reports false -Wfree-nonheap-object in libstdc++ under -fsanitize=thread.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-error=free-nonheap-object)
  add_link_options(-fsanitize=thread)
endif()
if(BRANCHCAST_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "BRANCHCAST_FUZZ needs clang (CXX=clang++-14)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# The linker: BRANCHCAST_LINKER=auto (default) links with mold when the compiler can use it, else
# lld, else the toolchain's default (GNU ld); or name one (mold, lld, gold, bfd) or "default".
# mold and lld link the ~80 sanitized test binaries several times faster than GNU ld (README,
# figures: `.ci/run` cold); scripts/packages-build.txt installs mold, so CI has it.
set(BRANCHCAST_LINKER auto CACHE STRING "Linker: auto (mold, else lld, else default), mold, lld, gold, bfd or default")
if(NOT BRANCHCAST_LINKER STREQUAL "default")
  include(CheckLinkerFlag)
  if(BRANCHCAST_LINKER STREQUAL "auto")
    set(candidates mold lld)
  else()
    set(candidates ${BRANCHCAST_LINKER})
  endif()
  foreach(linker ${candidates})
    string(MAKE_C_IDENTIFIER "BRANCHCAST_HAS_LD_${linker}" var)
    check_linker_flag(CXX "-fuse-ld=${linker}" ${var})
    if(${var})
      add_link_options(-fuse-ld=${linker})
      message(STATUS "Linking with ${linker}")
      break()
    endif()
  endforeach()
  if(NOT BRANCHCAST_LINKER STREQUAL "auto" AND NOT ${var})
    message(WARNING "BRANCHCAST_LINKER=${BRANCHCAST_LINKER}: the compiler cannot link with it; using the default linker")
  endif()
endif()

# branchcast_module(NAME SOURCES ... [DEPS ...] [PKG ...]): a static library for one module folder.
# Headers are included as "module/file.h" from the repository root.
function(branchcast_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${M_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${M_DEPS})
endfunction()
