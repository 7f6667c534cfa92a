#!/usr/bin/env bash
# The cold cost of .ci/run, phase by phase: scripts/test.sh's build and test phases in a fresh clone
# with no ccache (as in CI), each under /usr/bin/time -v, niced. CPU (user+sys) is the figure to
# read on a shared machine; on an idle 2-core machine the wall of a build phase is about CPU / 2.
# Usage: bench/ci/cold_phases.sh CLONE OUT [PHASE...]   (CLONE: a fresh `git clone`; OUT: a folder)
# Phases (default all but tsan): asan tests fuzzbuild fuzzrun tsan.
# OUT/summary has one line per phase (user, sys, wall, load average before and after); OUT/<phase>.log
# the output (ctest's per-test times are in tests.log; per-unit times in CLONE/build-*/.ninja_log).
set -uo pipefail
src="$(cd "$1" && pwd)"; out="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2
phases=("$@"); [ ${#phases[@]} = 0 ] && phases=(asan tests fuzzbuild fuzzrun)
unset CMAKE_CXX_COMPILER_LAUNCHER CMAKE_C_COMPILER_LAUNCHER
export CCACHE_DISABLE=1
cd "$src"
T() {  # NAME COMMAND...
  local name="$1"; shift
  echo "$name start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/summary"
  /usr/bin/time -v -o "$out/$name.time" nice -n 10 "$@" >"$out/$name.log" 2>&1; local rc=$?
  echo "$name rc=$rc user=$(awk '/User time/ {print $NF}' "$out/$name.time")" \
       "sys=$(awk '/System time/ {print $NF}' "$out/$name.time")" \
       "wall=$(awk '/Elapsed \(wall/ {print $NF}' "$out/$name.time")" \
       "end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/summary"
}
common=(-DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DBRANCHCAST_BENCH=OFF -DBRANCHCAST_CCACHE=OFF)
for p in "${phases[@]}"; do case $p in
  asan)
    T asan-configure cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug "${common[@]}" -DBRANCHCAST_SANITIZE=ON
    T asan-build cmake --build build-asan -j "$(nproc)" ;;
  tests)
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      T tests ctest --test-dir build-asan --output-on-failure -j "$(nproc)" ;;
  fuzzbuild)
    CC=clang-14 CXX=clang++-14 T fuzz-configure cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
      -DBRANCHCAST_FUZZ=ON -DBRANCHCAST_TESTS=OFF -DBRANCHCAST_BENCH=OFF -DBRANCHCAST_CCACHE=OFF
    T fuzz-build cmake --build build-fuzz --target fuzzers -j "$(nproc)" ;;
  fuzzrun)  # as scripts/test.sh: nproc at once, FUZZ_SECONDS (10) each
    T fuzz-run bash -c 'ls build-fuzz/tests/fuzz/fuzz_* | xargs -P "$(nproc)" -I{} bash -c '\''
      f={}; n=$(basename $f); n=${n#fuzz_}; w=$(mktemp -d); s=(); d=()
      for c in tests/fuzz/corpus/$n tests/fuzz/regressions/$n; do [ -d $c ] && s+=($c); done
      [ -f tests/fuzz/$n.dict ] && d=(-dict=tests/fuzz/$n.dict)
      $f "${d[@]}" -max_total_time=${FUZZ_SECONDS:-10} -max_len=65536 -rss_limit_mb=2048 -artifact_prefix=$w/ $w "${s[@]}" >$w/log 2>&1
      echo "$n rc=$?"; rm -rf $w'\''' ;;
  tsan)
    T tsan-configure cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug "${common[@]}" -DBRANCHCAST_TSAN=ON
    T tsan-build cmake --build build-tsan --target appliance_test event_loop_test -j "$(nproc)"
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
      T tsan-tests ctest --test-dir build-tsan --output-on-failure -j "$(nproc)" -R '^(appliance_test|event_loop_test)$' ;;
  *) echo "unknown phase $p" >&2; exit 2 ;;
esac; done
echo "all done $(date -u +%T)" >>"$out/summary"
