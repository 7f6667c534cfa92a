#!/bin/sh
# Restart to first frame and SIGHUP reload (bench_daemon_start), two builds interleaved in one run
# on the same (possibly busy) machine: A B, B A, A B, ... `pairs` times (the order alternates so a
# drifting load favours neither), each bench run with `rounds` rounds. Prints every run's medians
# and, at the end, per figure: the median of B/A over the pairs, and each side's median of the
# bench's own ratio to its in-run gst-launch baseline (ratios hold under load; milliseconds do not).
#
# Usage: bench/loop/start_ab.sh BUILD_A BUILD_B [pairs=3] [rounds=7]
#   BUILD_x: a Release build tree with BRANCHCAST_BENCH=ON (bench/bench_daemon_start built).
set -eu
A=$1 B=$2 PAIRS=${3:-3} ROUNDS=${4:-7}
out=$(mktemp -d)
i=0
while [ "$i" -lt "$PAIRS" ]; do
  order="A B"
  [ $((i % 2)) -eq 1 ] && order="B A"
  for side in $order; do
    eval dir=\$$side
    "$dir/bench/bench_daemon_start" "$ROUNDS" > "$out/$side.$i" 2>&1 || { cat "$out/$side.$i"; exit 1; }
    echo "== $side ($dir) run $i"; cat "$out/$side.$i"
  done
  i=$((i + 1))
done
# Field: the number before " ms" on the READY=1 and SIGHUP lines.
fig() { grep "$2" "$1" | sed 's/.*[^0-9.]\([0-9.]*\) ms .*/\1/' | head -1; }
for what in "start to READY=1" "SIGHUP reload"; do
  ratios=""
  i=0
  while [ "$i" -lt "$PAIRS" ]; do
    a=$(fig "$out/A.$i" "$what"); b=$(fig "$out/B.$i" "$what")
    ratios="$ratios $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')"
    i=$((i + 1))
  done
  med=$(echo $ratios | tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  echo "$what: B/A per pair:$ratios; median $med"
  for side in A B; do
    x=$(cat "$out/$side".* | grep "$what" | sed 's/.*(\([0-9.]*\)x baseline).*/\1/' | sort -n |
        awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    echo "  $side: median ${x}x its baseline"
  done
done
rm -rf "$out"
