#!/usr/bin/env bash
# Nightly-style stress checks of issue 13 ("the wall never goes dark"), too slow or too
# privileged for the unit tests: the whole `branchcast run` against damaged and unwritable state
# storage, hostile feeds timed and measured (peak RSS), a local slowloris against /healthz, and a
# sync of an invalid configuration. Prints one line per check, "ok" or "FAIL", and exits 1 on any
# failure. Not part of scripts/test.sh; run it after a build:
#
#   scripts/stress.sh [BUILD_DIR]        (default: build-asan, else build)
#
# As root it also mounts two small tmpfs file systems (a full disk, a read-only card); without
# root those two checks are skipped (the unit tests cover them with SQLite's page limit).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-}"
if [ -z "$build" ]; then
  if [ -x "$root/build-asan/branchcast" ]; then build="$root/build-asan"; else build="$root/build"; fi
fi
bc="$build/branchcast"
demo="$build/demo-branch/appliance.yaml"
[ -x "$bc" ] || { echo "no $bc: build first (scripts/build.sh)"; exit 2; }
[ -f "$demo" ] || { echo "no $demo: build the demo_branch target"; exit 2; }
export SDL_VIDEODRIVER=offscreen ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
work="$(mktemp -d /tmp/branchcast-stress-XXXXXX)"
mounts=()
cleanup() {
  for m in "${mounts[@]:-}"; do [ -n "$m" ] && umount "$m" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# run_plays NAME STATE_DIR: `run --for 5s` on the demo must exit 0 and show items on every screen.
run_plays() {
  local name="$1" state="$2" out="$work/$1.out"
  BRANCHCAST_STATE_DIR="$state" timeout 120 "$bc" run --config "$demo" --for 5s >"$out" 2>&1
  local rc=$?
  if [ $rc -eq 0 ] && grep -Eq '^screen [a-z]+: [1-9][0-9]* items' "$out"; then
    ok "state storage: $name: plays ($(grep -c 'state storage degraded' "$out") degraded notice(s))"
  else
    fail "state storage: $name: exit $rc"; sed 's/^/     /' "$out" | tail -5
  fi
}

# --- Finding 1: damaged or unwritable state storage -------------------------------------------
s="$work/garbage"; mkdir -p "$s"; head -c 100000 /dev/urandom >"$s/branchcast.db"
run_plays garbage "$s"
ls "$s"/branchcast.db.damaged-* >/dev/null 2>&1 && ok "state storage: garbage kept aside" || fail "state storage: garbage not kept"
s="$work/folder"; mkdir -p "$s/branchcast.db"; run_plays folder "$s"
s="$work/truncated"; mkdir -p "$s"
BRANCHCAST_STATE_DIR="$s" "$bc" run --config "$demo" --for 2s >/dev/null 2>&1
sz=$(stat -c %s "$s/branchcast.db" 2>/dev/null || echo 0)
[ "$sz" -gt 8192 ] && truncate -s $((sz / 2)) "$s/branchcast.db"
run_plays truncated "$s"
s="$work/nofolder"; echo file >"$s"; run_plays "state folder is a file" "$s/state"
if [ "$(id -u)" = 0 ]; then
  s="$work/full"; mkdir -p "$s"
  if mount -t tmpfs -o size=2m tmpfs "$s"; then
    mounts+=("$s")
    BRANCHCAST_STATE_DIR="$s" "$bc" run --config "$demo" --for 1s >/dev/null 2>&1  # a database
    dd if=/dev/zero of="$s/fill" bs=64k >/dev/null 2>&1
    run_plays "disk full" "$s"
    grep -q "disk full" "$work/disk full.out" && ok "disk full: said ($(grep -m1 -o 'disk full[^:]*' "$work/disk full.out"))" || fail "disk full: nothing said"
    rm -f "$s/fill"
  fi
  s="$work/ro"; mkdir -p "$s"
  if mount -t tmpfs -o size=8m tmpfs "$s"; then
    mounts+=("$s")
    head -c 50000 /dev/urandom >"$s/branchcast.db"
    mount -o remount,ro "$s"
    run_plays "read-only card with a damaged database" "$s"
    grep -q "in-memory" "$work/read-only card with a damaged database.out" && ok "read-only: in-memory store said" || fail "read-only: not said"
  fi
else
  echo "skip disk full / read-only checks (need root for tmpfs mounts)"
fi

# --- Finding 11: JSON output is valid UTF-8 ----------------------------------------------------
if "$bc" ble decode 0309fffe | /usr/bin/python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8", "strict"))'; then
  ok "ble decode 0309fffe: valid UTF-8 JSON"
else
  fail "ble decode 0309fffe: invalid JSON"
fi

# --- Finding 4: sparse SECONDLY rules cost no minutes ------------------------------------------
ics="$work/hostile.ics"
{
  printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//stress//EN\r\n'
  for i in $(seq 1 20); do
    printf 'BEGIN:VEVENT\r\nUID:h%d\r\nDTSTART:20260101T000000Z\r\nRRULE:FREQ=SECONDLY;BYHOUR=3;BYMINUTE=7\r\nSUMMARY:x\r\nEND:VEVENT\r\n' "$i"
  done
  printf 'BEGIN:VEVENT\r\nUID:p\r\nDTSTART:20260101T000000Z\r\nRRULE:FREQ=SECONDLY;BYSETPOS=-1\r\nSUMMARY:x\r\nEND:VEVENT\r\n'
  printf 'END:VCALENDAR\r\n'
} >"$ics"
start=$(date +%s.%N)
timeout 60 "$bc" feeds show --kind ical "$ics" --from 2026-01-01T00:00 --to 2026-12-31T00:00 >/dev/null 2>&1
rc=$?
took=$(echo "$(date +%s.%N) - $start" | bc)
if [ $rc -ne 124 ] && [ "$(echo "$took < 5" | bc)" = 1 ]; then ok "hostile RRULEs parsed in ${took}s (was > 45 s)"; else fail "hostile RRULEs: exit $rc after ${took}s"; fi

# --- Finding 10: /healthz under a local slowloris -----------------------------------------------
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
hd="$work/health"; mkdir -p "$hd"; cp -r "$build/demo-branch/." "$hd/"
/usr/bin/python3 - "$hd/appliance.yaml" "$port" <<'EOF'
import re, sys
p, port = sys.argv[1], sys.argv[2]
t = open(p).read()
t = re.sub(r"(?m)^health:.*\n(  .*\n)*", "", t)
open(p, "w").write(t + "health:\n  listen: 127.0.0.1:%s\n" % port)
EOF
BRANCHCAST_STATE_DIR="$work/health-state" "$bc" run --config "$hd/appliance.yaml" --for 25s >"$work/health.out" 2>&1 &
daemon=$!
/usr/bin/python3 - "$port" <<'EOF' && ok "healthz under a 16-connection slowloris: every probe answered" || fail "healthz under slowloris"
import socket, sys, time, urllib.request
port = int(sys.argv[1])
for _ in range(100):
    try:
        urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=2); break
    except Exception as e:
        if getattr(e, "code", None): break
        time.sleep(0.2)
idle = []
def slow():
    s = socket.create_connection(("127.0.0.1", port)); s.send(b"GET /healthz HTTP/1.1\r\nX: "); idle.append(s)
for _ in range(16): slow()
ok = 0
for _ in range(50):
    try:
        urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=2); ok += 1
    except urllib.error.HTTPError:
        ok += 1  # 503 is an answer
    except Exception:
        pass
    slow()
print("     %d/50 probes answered" % ok)
sys.exit(0 if ok == 50 else 1)
EOF
kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null

# --- Finding 2: an invalid push never becomes current -------------------------------------------
src="$work/push"; dest="$work/content"; mkdir -p "$src"; cp -r "$build/demo-branch/." "$src/"
rm -f "$src/.copied"
manifest() { (cd "$src" && find . -type f ! -name MANIFEST.sha256 -printf '%P\0' | sort -z | xargs -0 sha256sum >MANIFEST.sha256); }
manifest
"$bc" sync --source "$src" --dest "$dest" >/dev/null 2>&1 || fail "sync of the demo"
echo "prority: 1" >>"$src/appliance.yaml"; manifest
if "$bc" sync --source "$src" --dest "$dest" >"$work/sync.out" 2>&1; then
  fail "invalid push became current"
else
  [ "$(readlink "$dest/current")" = versions/1 ] && ok "invalid push refused, current stays ($(head -c 120 "$work/sync.out"))" || fail "current moved"
fi

# --- Item 4: peak RSS of hostile feeds (the README's table) -------------------------------------
if [ -x /usr/bin/time ]; then
  big="$work/big.ics"
  /usr/bin/python3 - "$big" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//stress//EN\r\n")
    i = 0
    while f.tell() < 19 * 1024 * 1024:
        f.write("BEGIN:VEVENT\r\nUID:e%d\r\nDTSTART:2026%02d%02dT100000Z\r\nSUMMARY:Event %d\r\nEND:VEVENT\r\n" % (i, 1 + i % 12, 1 + i % 28, i))
        i += 1
    f.write("END:VCALENDAR\r\n")
EOF
  /usr/bin/time -f "%M" -o "$work/rss" "$bc" feeds show --kind ical "$big" --from 2026-01-01T00:00 --to 2026-12-31T00:00 >/dev/null 2>"$work/big.err"
  echo "info peak RSS, feeds show of a 19 MiB iCal: $(( $(tail -1 "$work/rss") / 1024 )) MiB ($(tail -1 "$work/big.err" | head -c 150))"
fi

echo "$failures failure(s)"
[ "$failures" = 0 ]
