#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build, and run every test:
#   1. one gcc build with AddressSanitizer + UndefinedBehaviorSanitizer at -O1 -g1 (assertions on)
#      and every test in it, the timing-dependent ones included (they run in optimised builds),
#   2. a ThreadSanitizer build of the two tests whose workers post to the loop (appliance_test,
#      event_loop_test) and those tests, with TSAN=1 (off by default: it does not fit CI's 15 min),
#   3. each libFuzzer target (clang-14) for FUZZ_SECONDS (default 10) seconds, nproc at once (a smoke run with
#      the corpus and every regression input; fuzz longer by setting FUZZ_SECONDS). The fuzzers
#      are built beside step 1's tests, which leave most of the cores idle while they wait.
# Why one sanitized build and not a plain one beside it: on 2 cores the two builds took 13 of the
# suite's 17-18 minutes, and the plain build found nothing the optimised ASan build does not
# (every test passes in both; -O1 makes the sanitized tests fast enough for the timing checks).
# scripts/demo.sh and scripts/bench.sh make the plain -O2 build. Each phase prints its time.
# Ends with one line "tests: N passed, N failed".
#
# scripts/test.sh --quick [REGEX]: the edit-test loop. No package check, no fuzzers; the ASan
# build is brought up to date incrementally (ninja only rebuilds what changed; cmake configures
# only when build-asan has never been configured) and ctest runs the tests matching REGEX (all
# when omitted), in parallel.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
quick=0; filter=""
if [ "${1:-}" = "--quick" ]; then quick=1; filter="${2:-}"; fi
[ $quick = 1 ] || "$root/scripts/install-deps.sh" scripts/packages-build.txt scripts/packages-test.txt

passed=0; failed=0
run_ctest() {  # DIR [ctest options...]
  local log; log="$(mktemp)"
  local dir="$1"; shift
  set +e
  ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  local line; line="$(grep -E 'tests passed, [0-9]+ tests failed out of' "$log" | tail -1)"
  local total fail
  total="$(echo "$line" | sed -E 's/.*out of ([0-9]+).*/\1/')"
  fail="$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed.*/\1/')"
  if [ -n "$line" ]; then passed=$((passed + total - fail)); failed=$((failed + fail)); fi
  rm -f "$log"
  return $rc
}

status=0
started=$SECONDS
phase() { echo "== $1 (at $((SECONDS - started)) s)"; }
if [ $quick = 1 ]; then
  phase "ASan+UBSan build (incremental)"
  if [ ! -f build-asan/build.ninja ]; then
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
      -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DBRANCHCAST_SANITIZE=ON -DBRANCHCAST_BENCH=OFF >/dev/null
  fi
  ninja -C build-asan -j "$(nproc)"
  phase "ASan+UBSan tests${filter:+ matching $filter}"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest build-asan ${filter:+-R "$filter"} || status=1
  phase "done"
  echo "tests: $passed passed, $failed failed"
  exit $status
fi
phase "ASan+UBSan build (-O1)"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DBRANCHCAST_SANITIZE=ON -DBRANCHCAST_BENCH=OFF
# The fuzzers (clang-14) build beside the tests: most tests wait (GStreamer, D-Bus, HTTP, sleeps),
# so the build takes cores they leave idle. Niced: a test that waits for its own work still gets it.
fuzz_log="$(mktemp)"
(
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DBRANCHCAST_FUZZ=ON -DBRANCHCAST_TESTS=OFF -DBRANCHCAST_BENCH=OFF >/dev/null &&
    nice -n 10 cmake --build build-fuzz --target fuzzers -j "$(nproc)"
) >"$fuzz_log" 2>&1 &
fuzz_build=$!
phase "ASan+UBSan tests (the fuzzers build beside them)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_ctest build-asan || status=1

# ThreadSanitizer on the tests whose worker threads post to the loop: appliance_test (feed,
# recommender and CEC workers; shutdown with a fetch in flight) and event_loop_test (posters
# across threads, a poster outliving its loop). Only these two targets are built; TSAN=1 turns it on
# (its ~200 compile units would take CI past its 15-minute budget).
if [ "${TSAN:-0}" != 0 ]; then
  phase "TSan build (appliance_test, event_loop_test)"
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
    -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DBRANCHCAST_TSAN=ON -DBRANCHCAST_BENCH=OFF >/dev/null
  cmake --build build-tsan --target appliance_test event_loop_test -j "$(nproc)"
  phase "TSan tests"
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    run_ctest build-tsan -R '^(appliance_test|event_loop_test)$' || status=1
fi

phase "fuzzers (${FUZZ_SECONDS:-10}s each)"
fuzz_rc=0; wait "$fuzz_build" || fuzz_rc=$?
if [ $fuzz_rc != 0 ]; then
  echo "fuzzers: the build failed:"; tail -60 "$fuzz_log"; rm -f "$fuzz_log"
  echo "tests: $passed passed, $((failed + 1)) failed"
  exit 1
fi
rm -f "$fuzz_log"
# Each fuzzer is single-threaded: run nproc of them at once (each still gets FUZZ_SECONDS of wall
# time and a core), then report them in name order.
run_fuzzer() {  # FUZZER WORK: the log in WORK/log, the exit status in WORK/rc
  local fuzzer="$1" work="$2" name seeds=() dict=() d
  name="$(basename "$fuzzer")"; name="${name#fuzz_}"
  for d in tests/fuzz/corpus/"$name" tests/fuzz/regressions/"$name"; do [ -d "$d" ] && seeds+=("$d"); done
  [ -f tests/fuzz/"$name".dict ] && dict=(-dict=tests/fuzz/"$name".dict)   # keys of the format
  mkdir -p "$work/new"
  set +e
  "$fuzzer" "${dict[@]}" -max_total_time="${FUZZ_SECONDS:-10}" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work/new" "${seeds[@]}" >"$work/log" 2>&1
  echo $? >"$work/rc"
}
fuzzers=(); works=()
for fuzzer in build-fuzz/tests/fuzz/fuzz_*; do
  [ -x "$fuzzer" ] || continue
  fuzzers+=("$fuzzer"); works+=("$(mktemp -d)")
  run_fuzzer "$fuzzer" "${works[-1]}" &
  while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
done
wait
for i in "${!fuzzers[@]}"; do
  name="$(basename "${fuzzers[$i]}")"; name="${name#fuzz_}"; work="${works[$i]}"
  if [ "$(cat "$work/rc" 2>/dev/null)" = 0 ]; then
    echo "fuzz $name: ok ($(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$work/log" | grep -Eo '[0-9]+' || echo '?') runs)"
    passed=$((passed + 1))
  else
    echo "fuzz $name: FAILED"; tail -40 "$work/log"; ls "$work"
    failed=$((failed + 1)); status=1
  fi
  rm -rf "$work"
done

phase "done"
echo "tests: $passed passed, $failed failed"
exit $status
