#!/bin/sh
# Runs inside the cross-build chroot: installs the -dev packages listed in $1 (one per line) for
# arm64, or natively when a package is Architecture: all (headers-only packages).
set -e
pkgs=""
for p in $(cat "$1"); do
  if apt-cache show --no-all-versions "$p" | grep -q '^Architecture: all'; then pkgs="$pkgs $p"
  else pkgs="$pkgs $p:arm64"; fi
done
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkgs
apt-get clean
