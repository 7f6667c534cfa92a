#!/usr/bin/env bash
# Builds and runs every benchmark in bench/ (each prints ratios against a baseline measured in the
# same run). Not part of the test run: figures depend on the machine. Output: bench-results.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/install-deps.sh" scripts/packages-build.txt scripts/packages-test.txt
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo
: > bench-results.txt
for b in build/bench/bench_* build/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")" | tee -a bench-results.txt
  "$b" 2>&1 | tee -a bench-results.txt
done
