#!/usr/bin/env bash
# Peak RSS under hostile input at the limits (issue 13, item 4): the README's memory table.
# Generates feeds and a playlist at the default limits (bench/memory/make_hostile.py), then
# measures with /usr/bin/time -f %M:
#   - `feeds show` of each feed kind alone (parse + JSON output, one process),
#   - `validate` of a playlist just under the YAML node limit,
#   - the daemon (`run --for`, the demo branch offscreen) with its own two small feeds
#     (baseline), with the node-limit playlist on a screen, and with five feeds at the limits
#     together (iCal, RSS, json-events, json-catalogue, jsonfeed).
# Use a release build (sanitizers inflate RSS several times):
#   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE=-O2 \
#     -DBRANCHCAST_SANITIZE=OFF && ninja -C build-rel branchcast demo_branch
#   bench/memory/hostile_rss.sh build-rel [EVENTS BYTES NODES RUN_SECONDS]
# Defaults: the limits in feeds/feed_parser.h and config/yaml_reader.h. ONLY=daemon: the daemon rows.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-rel}"
events="${2:-10000}"
bytes="${3:-4194304}"
nodes="${4:-100000}"
run_for="${5:-40}"
bc="$build/branchcast"
demo="$build/demo-branch"
[ -x "$bc" ] || { echo "no $bc"; exit 2; }
[ -f "$demo/appliance.yaml" ] || { echo "no $demo/appliance.yaml: build the demo_branch target"; exit 2; }
export SDL_VIDEODRIVER=offscreen
work="$(mktemp -d /tmp/branchcast-rss-XXXXXX)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$root/bench/memory/make_hostile.py" "$work/in" "$events" "$bytes" "$nodes" | sed 's/^/input /'

# mib CMD...: runs CMD, prints "<peak MiB> <exit status> <last stderr line>"
mib() {
  /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>"$work/err"
  local rc=$?
  printf '%6.1f MiB  exit %d  %s\n' "$(echo "$(tail -1 "$work/rss") / 1024" | bc -l)" "$rc" \
    "$(grep -v '^[0-9]*$' "$work/err" | grep -iE 'error|refused|limit|more than' | head -1 | cut -c1-110)"
}

window=(--from 2027-01-01T00:00 --to 2028-01-01T00:00)
echo "== feeds show (one process, parse + JSON output), limits: $events items, $bytes bytes"
[ "${ONLY:-}" = daemon ] || for kf in "ical big.ics" "rss big.xml" "json-events big.json" "json-catalogue cat.json" "jsonfeed feed.json"; do
  set -- $kf
  printf '%-16s ' "$1"; mib "$bc" feeds show --kind "$1" "$work/in/$2" "${window[@]}"
done

# The demo branch offscreen, Bluetooth off, health on a free port; FEEDS replaces its feeds.
make_branch() {  # DIR FEEDS_YAML PLAYLIST(optional: replaces the entrance playlist)
  cp -r "$demo" "$1"
  [ -n "${3:-}" ] && cp "$work/in/$3" "$1/playlists/$3"
  /usr/bin/python3 - "$1/appliance.yaml" "$2" "${3:-}" <<'PY'
import sys, yaml
path, feeds, playlist = sys.argv[1], sys.argv[2], sys.argv[3]
c = yaml.safe_load(open(path))
for s in c["screens"]:
    s["output"] = "offscreen"
c["beacon"] = {"enabled": False}
c["presence"] = {"enabled": False}
import socket
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
c["health"] = {"listen": "127.0.0.1:%d" % probe.getsockname()[1]}
probe.close()
if feeds:
    c["feeds"] = yaml.safe_load(feeds)
if playlist:
    c["screens"][0]["playlist"] = "playlists/" + playlist
yaml.safe_dump(c, open(path, "w"), sort_keys=False)
PY
}
five="[{id: events, kind: ical, url: 'file:$work/in/big.ics'},
       {id: new-arrivals, kind: rss, url: 'file:$work/in/big.xml'},
       {id: libcal, kind: json-events, url: 'file:$work/in/big.json'},
       {id: catalogue, kind: json-catalogue, url: 'file:$work/in/cat.json'},
       {id: news, kind: jsonfeed, url: 'file:$work/in/feed.json'}]"

echo "== YAML just under the node limit ($nodes nodes)"
[ "${ONLY:-}" = daemon ] || printf '%-16s ' "validate"; [ "${ONLY:-}" = daemon ] || mib "$bc" validate "$work/in/nodes.yaml"

echo "== the daemon: run --for ${run_for}s, demo branch offscreen (2 screens)"
make_branch "$work/base" ""
printf '%-16s ' "demo feeds"; BRANCHCAST_STATE_DIR="$work/s1" mib "$bc" run --config "$work/base/appliance.yaml" --for "${run_for}s"
make_branch "$work/nodes" "" nodes.yaml
printf '%-16s ' "YAML node limit"; BRANCHCAST_STATE_DIR="$work/s2" mib "$bc" run --config "$work/nodes/appliance.yaml" --for "${run_for}s"
make_branch "$work/five" "$five"
printf '%-16s ' "5 feeds at limit"; BRANCHCAST_STATE_DIR="$work/s3" mib "$bc" run --config "$work/five/appliance.yaml" --for "${run_for}s"
grep -E "feeds|refused|limit" "$work/err" | head -8 | cut -c1-160 | sed 's/^/  log: /'
