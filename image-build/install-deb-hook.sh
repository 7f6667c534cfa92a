#!/bin/sh
# mmdebstrap --customize-hook: waits for the branchcast .deb that scripts/build-image.sh
# cross-compiles in the background while the root file system is bootstrapped, then installs it
# (and anything it depends on) with the root file system's own apt (through qemu-user: the host's
# dpkg would refuse an arm64 package).
# Usage: install-deb-hook.sh ROOTFS DEB_STATE_DIR   (the dir gets "status" = ok|failed, "path", "log")
set -eu
rootfs="$1"; state="$2"
if [ ! -s "$state/status" ]; then
  echo "install-deb-hook: [$(date +%T)] waiting for the branchcast .deb ($state/log)"
  while [ ! -s "$state/status" ]; do sleep 5; done
fi
if [ "$(cat "$state/status")" != ok ]; then
  echo "install-deb-hook: the branchcast .deb did not build; the end of $state/log:" >&2
  tail -n 30 "$state/log" >&2
  exit 1
fi
deb="$(cat "$state/path")"
echo "install-deb-hook: [$(date +%T)] installing $(basename "$deb")"
cp "$deb" "$rootfs/tmp/branchcast.deb"
chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confold /tmp/branchcast.deb
rm -f "$rootfs/tmp/branchcast.deb"
