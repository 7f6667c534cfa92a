#!/usr/bin/env bash
# Issue 12 figure: wake-ups and CPU of `branchcast run` while a screen shows a still picture.
# Usage: bench/loop/still_wakeups.sh BRANCHCAST_BINARY [SECONDS (default 60)] [LABEL]
# Runs one offscreen screen whose playlist is one text card for an hour (a still), as the
# service does (--keep-running: no demo snapshots/recording), health on a free port, and reads
# the process's context switches (all threads, /proc/PID/task/*/status) and CPU time
# (/proc/PID/stat utime+stime) over the last SECONDS after a 5 s settle. Prints one line:
#   LABEL: W wakeups/s (context switches), C CPU s per hour, loop: ... (the loop's own counter)
# Compare two binaries (before/after) in the same run on the same machine: absolute CPU figures
# depend on the build (ASan) and on the machine's load.
set -euo pipefail
bin="$(realpath "$1")"; secs="${2:-60}"; label="${3:-$(basename "$bin")}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/appliance.yaml" <<YAML
branch:
  id: bench
  name: Bench
  timezone: UTC
screens:
  - id: hall
    output: offscreen
    resolution: 640x360
    playlist: playlist.yaml
health:
  listen: 127.0.0.1:$port
YAML
printf 'default:\n  - text: "A still picture"\n    duration: 1h\n' >"$work/playlist.yaml"
ctx() {  # sum of voluntary+involuntary context switches of every thread
  local n=0 v
  for f in /proc/"$1"/task/*/status; do
    v=$(awk '/ctxt_switches/ {s+=$2} END {print s+0}' "$f" 2>/dev/null || echo 0); n=$((n + v))
  done
  echo $n
}
cpu() { awk '{print $14 + $15}' /proc/"$1"/stat; }  # clock ticks
export SDL_VIDEODRIVER=offscreen BRANCHCAST_STATE_DIR="$work/state" ASAN_OPTIONS=detect_leaks=0
keep=(); "$bin" run --help 2>&1 | grep -q -- --keep-running && keep=(--keep-running)  # older builds: --for alone
"$bin" run --config "$work/appliance.yaml" --for "$((secs + 10))s" "${keep[@]}" >"$work/out" 2>"$work/err" &
pid=$!
sleep 5
c0=$(ctx $pid); t0=$(cpu $pid); s0=$(date +%s.%N)
sleep "$secs"
c1=$(ctx $pid); t1=$(cpu $pid); s1=$(date +%s.%N)
wait $pid || true
hz=$(getconf CLK_TCK)
python3 - "$label" "$c0" "$c1" "$t0" "$t1" "$s0" "$s1" "$hz" <<'PY'
import sys
label, c0, c1, t0, t1, s0, s1, hz = sys.argv[1], *map(float, sys.argv[2:])
el = s1 - s0
print(f"{label}: {(c1 - c0) / el:.2f} wakeups/s (context switches, all threads), "
      f"{(t1 - t0) / hz / el * 3600:.1f} CPU s per hour", end="")
PY
echo ", $(grep -E '^loop:' "$work/out" || echo 'loop: (no counter in this build)')"
