#!/usr/bin/env bash
# Generates the demo branch's media with GStreamer (nothing binary is committed).
# Usage: generate-demo-media.sh CONTENT_DIR
set -euo pipefail
out="$1"
mkdir -p "$out"
gst() { gst-launch-1.0 -q "$@" >/dev/null; }
gst videotestsrc num-buffers=1 pattern=solid-color foreground-color=0xff1f4e79 \
  ! video/x-raw,width=1280,height=720 ! videoconvert ! pngenc ! filesink location="$out/welcome.png.tmp"
gst videotestsrc num-buffers=1 pattern=smpte \
  ! video/x-raw,width=1280,height=720 ! videoconvert ! pngenc ! filesink location="$out/whats-on.png.tmp"
gst videotestsrc num-buffers=150 pattern=ball \
  ! video/x-raw,width=1280,height=720,framerate=30/1 ! videoconvert \
  ! vp8enc deadline=1 cpu-used=8 ! webmmux ! filesink location="$out/storytime.webm.tmp"
for f in welcome.png whats-on.png storytime.webm; do mv "$out/$f.tmp" "$out/$f"; done
