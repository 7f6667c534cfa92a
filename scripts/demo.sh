#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, and run the bundled demo branch.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" "$root/scripts/packages-build.txt"
"$root/scripts/build.sh" "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBRANCHCAST_TESTS=OFF -DBRANCHCAST_BENCH=OFF
exec "$root/build/branchcast" run --config "$root/build/demo-branch/appliance.yaml" "$@"
