#!/usr/bin/env bash
# Builds the Branchcast Raspberry Pi image (Pi 4/400/3/Zero 2 W, arm64) from Debian 12 packages.
#   scripts/build-image.sh [OUT_DIR]            (default out/image; needs root)
# Steps: host tools (scripts/packages-image.txt) -> in the background: an amd64 chroot with
# Debian's arm64 cross toolchain and :arm64 -dev packages (cached), then the branchcast .deb
# cross-built there with CPack; meanwhile the arm64 root file system with mmdebstrap through
# qemu-user, which installs the .deb at its end -> the boot partition and root slot A with genimage
# under fakeroot -> OUT_DIR/branchcast-rpi-arm64.img(.xz) and a RAUC update bundle.
# Environment: MIRROR (default http://deb.debian.org/debian), BRANCHCAST_IMAGE_CACHE (default
# out/cache), COMPRESS=0 to skip the .xz, BUNDLE=0 to skip the RAUC bundle,
# RAUC_KEY/RAUC_CERT (default: a development key pair made once in the cache), REUSE_ROOTFS=1 to
# redo only the partitions, image and bundle from the last build's root file system,
# ROOT_SLOT_MB (default 864) for the size of each root slot, TEST_IMAGE=0 to skip the test image and
# test bundles of `scripts/test-image.sh --boot` (out/image/test/), RAUC_ADAPTIVE=1 for adaptive
# bundles (a block hash index: an install writes only the blocks that differ; docs/image.md).
# Design and measurements: docs/image.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
recipe="$root/image-build"
out="$(mkdir -p "${1:-$root/out/image}" && cd "${1:-$root/out/image}" && pwd)"
cache="${BRANCHCAST_IMAGE_CACHE:-$root/out/cache}"
mirror="${MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
disksig=b7a9c0de
image=branchcast-rpi-arm64.img
start=$(date +%s)
step() { echo "== [$(( $(date +%s) - start ))s] $*"; }
die() { echo "build-image: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (mmdebstrap, chroot and file ownership need it)"
mkdir -p "$cache"
work="$out/work"

deb_pid=""
kill_tree() {  # PID: the process and its descendants (the background .deb build)
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$child"; done
  kill "$1" 2>/dev/null || true
}
cleanup() {
  if [ -n "$deb_pid" ] && kill -0 "$deb_pid" 2>/dev/null; then kill_tree "$deb_pid"; wait "$deb_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

step "host tools"
"$root/scripts/install-deps.sh" "$root/scripts/packages-image.txt"
update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || die "qemu-aarch64 binfmt is not registered"

# --- 1. cross-build chroot (amd64 host tools + arm64 libraries), cached by its inputs -------------
# Made (first time only) by the background job of step 2, so it overlaps step 3 too.
xkey="$(cat "$root/scripts/packages-build.txt" "$recipe/cross/"* | sha256sum | cut -c1-12)"
xroot="$cache/cross-$xkey"
make_cross_chroot() {
  [ ! -f "$xroot/.ready" ] || return 0
  echo "cross-build chroot $xroot (first time only)"
  local native pkg
  rm -rf "$xroot" "$xroot.tmp"
  native=(g++-aarch64-linux-gnu binutils-aarch64-linux-gnu dpkg-dev file qemu-user-static)
  while read -r pkg; do
    pkg="${pkg%%#*}"; pkg="$(echo "$pkg" | tr -d '[:space:]')"
    case "$pkg" in ''|*-dev|g++) ;; *) native+=("$pkg") ;; esac
  done < "$root/scripts/packages-build.txt"
  sed -e 's/#.*//' -e '/-dev *$/!d' -e 's/ //g' "$root/scripts/packages-build.txt" > "$cache/cross-dev-packages.txt"
  nice -n 19 mmdebstrap --variant=apt --architectures=amd64,arm64 --components=main \
    --include="$(IFS=,; echo "${native[*]}")" \
    --customize-hook="cp '$recipe/cross/install-dev-packages.sh' '$cache/cross-dev-packages.txt' \"\$1/tmp/\"" \
    --customize-hook='chroot "$1" sh /tmp/install-dev-packages.sh /tmp/cross-dev-packages.txt' \
    "$suite" "$xroot.tmp" "$mirror"
  mv "$xroot.tmp" "$xroot"
  touch "$xroot/.ready"
  echo "[$(( $(date +%s) - start ))s] cross-build chroot ready"
}

# --- 2. the branchcast .deb, cross-compiled (in the background, while step 3 bootstraps) ---------
# The working tree (tracked and untracked, not ignored files) without the image recipe, its tests, README and docs;
# when that is unchanged the last .deb is reused. Progress and result go to $debstate/.
debstate="$out/deb-build"
build_deb() {
  local src_hash deb
  make_cross_chroot
  (cd "$root" && git ls-files -co --exclude-standard -z | sort -z \
     | grep -zEv '^(out/|docs/|README\.md|scripts/(build|test)-image\.sh|scripts/image-boot-test\.py|scripts/packages-image(-boot)?\.txt|image-build/(rootfs|boot|rauc|kernel|test-overlay)/|image-build/[a-z-]+\.(sh|cfg\.in))' \
     | tar --null -T - --mtime=@0 --owner=0 --group=0 -cf -) > "$cache/src.tar"
  src_hash="$(sha256sum < "$cache/src.tar" | cut -c1-16)"
  deb="$(ls "$xroot"/build/obj/branchcast_*_arm64.deb 2>/dev/null || true)"
  if [ -n "$deb" ] && [ "$(cat "$xroot/build/src-hash" 2>/dev/null)" = "$src_hash" ]; then
    echo "branchcast .deb: sources unchanged, reusing $(basename "$deb")"
  else
    echo "cross-building the branchcast .deb"
    rm -rf "$xroot/build"
    mkdir -p "$xroot/build/src"
    tar -xf "$cache/src.tar" -C "$xroot/build/src"
    mount --bind /proc "$xroot/proc"; mount --bind /dev "$xroot/dev"
    trap 'umount "$xroot/dev" "$xroot/proc" 2>/dev/null || umount -l "$xroot/dev" "$xroot/proc"' EXIT
    nice -n 19 chroot "$xroot" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
      DEB_HOST_ARCH=arm64 DEB_HOST_GNU_TYPE=aarch64-linux-gnu sh -ec '
        cmake -S /build/src -B /build/obj -G Ninja -DCMAKE_BUILD_TYPE=Release \
          -DCMAKE_TOOLCHAIN_FILE=/build/src/image-build/cross/aarch64-linux-gnu.cmake \
          -DBRANCHCAST_TESTS=OFF -DBRANCHCAST_BENCH=OFF >/dev/null
        cmake --build /build/obj -j "$(nproc)"
        cd /build/obj && cpack -G DEB >/dev/null'
    echo "$src_hash" > "$xroot/build/src-hash"
  fi
  rm -f "$cache/src.tar"
  deb="$(ls "$xroot"/build/obj/branchcast_*_arm64.deb)"
  cp "$deb" "$out/"
  echo "$out/$(basename "$deb")" > "$debstate/path"
}
rm -rf "$debstate"; mkdir -p "$debstate"
step "branchcast .deb (cross-build chroot if needed, then the .deb, in the background: $debstate/log)"
( set +e; (set -e; build_deb) > "$debstate/log" 2>&1; s=$?
  echo "[$(( $(date +%s) - start ))s] .deb step finished (exit $s)" >> "$debstate/log"
  [ "$s" -eq 0 ] && echo ok > "$debstate/status" || echo failed > "$debstate/status" ) &
deb_pid=$!
await_deb() {
  wait "$deb_pid" || true
  deb_pid=""
  [ "$(cat "$debstate/status" 2>/dev/null)" = ok ] || { tail -n 30 "$debstate/log" >&2; die "the branchcast .deb did not build"; }
  deb="$(cat "$debstate/path")"
  tail -n 1 "$debstate/log"
}

# --- 3. the arm64 root file system ---------------------------------------------------------------
# RAUC verifies bundles against the certificate baked into the image. Without RAUC_KEY/RAUC_CERT a
# development key pair is made once (kept in the cache, never in git or in the image).
key="${RAUC_KEY:-$cache/rauc-dev.key.pem}"; cert="${RAUC_CERT:-$cache/rauc-dev.cert.pem}"
if [ ! -f "$key" ]; then
  step "RAUC development signing key (replace for production: RAUC_KEY/RAUC_CERT)"
  (umask 077; openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/O=Branchcast/CN=Branchcast development" \
     -keyout "$key" -out "$cert" 2>/dev/null)
fi
rootfs="$work/rootfs"
if [ "${REUSE_ROOTFS:-0}" = 1 ] && [ -f "$work/rootfs.ready" ]; then
  step "reusing the root file system of the last build ($rootfs)"
else
step "arm64 root file system (mmdebstrap through qemu-user)"
# An interrupted mmdebstrap can leave bind mounts below $work: never delete through them.
findmnt -rn -o TARGET | { grep "^$work/" || true; } | sort -r | xargs -r umount -l
rm -rf "$work"; mkdir -p "$work"
packages=(systemd-sysv udev dbus kmod iproute2 netbase ca-certificates tzdata
  raspi-firmware linux-image-arm64 firmware-brcm80211 bluez-firmware u-boot-rpi libubootenv-tool rauc rauc-service
  initramfs-tools zstd e2fsprogs dosfstools fdisk
  bluez systemd-timesyncd systemd-resolved wpasupplicant
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-libav gstreamer1.0-alsa
  libsdl2-2.0-0 libsdl2-ttf-2.0-0 libfribidi0 libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri fonts-dejavu-core libcurl4 libsqlite3-0 libical3 libxml2 libssl3
  libqrencode4 libmosquitto1 libsystemd0 libyaml-cpp0.7 libgit2-1.5 libdate-tz3
  # card fonts beside DejaVu Sans (docs/media.md "Fonts"): Indic scripts, Thai, Han/Kana/Hangul
  fonts-lohit-deva fonts-lohit-beng-bengali fonts-lohit-guru fonts-lohit-gujr fonts-lohit-orya fonts-lohit-taml fonts-lohit-telu fonts-lohit-knda fonts-lohit-mlym fonts-tlwg-loma-otf fonts-wqy-microhei)
nice -n 19 mmdebstrap --architectures=arm64 --variant=minbase --components="main non-free-firmware" \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
  --dpkgopt=force-confold --dpkgopt=force-confdef \
  --include="$(IFS=,; echo "${packages[*]}")" \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-include=/usr/share/doc/branchcast/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --dpkgopt='path-exclude=/usr/share/fonts/truetype/dejavu/DejaVuSansMono*' \
  --dpkgopt='path-exclude=/usr/share/fonts/truetype/dejavu/DejaVuSerif*' \
  --dpkgopt='path-exclude=/usr/share/fonts/opentype/tlwg/Loma-*Oblique.otf' \
  --essential-hook="'$recipe/essential-hook.sh' \"\$1\" '$disksig'" \
  --customize-hook="'$recipe/install-deb-hook.sh' \"\$1\" '$debstate'" \
  --customize-hook="'$recipe/customize-rootfs.sh' \"\$1\" '$recipe' '$disksig' '$cert'" \
  "$suite" "$rootfs" "$mirror"
touch "$work/rootfs.ready"
fi
await_deb
dpkg-deb --info "$deb" | sed -n 's/^ \(Version\|Depends\):/  \1:/p'

# --- 4. partitions and the disk image ------------------------------------------------------------
# Root slots have a fixed size (ROOT_SLOT_MB), so every update bundle fits every card this image
# was flashed to; the build fails when the root file system leaves less than 10% of it free.
step "partitions (genimage under fakeroot)"
"$recipe/prepare-partitions.sh" "$rootfs" "$recipe" "$disksig"
slot_mb="${ROOT_SLOT_MB:-864}"
used_mb=$(du -sm --exclude=./boot/firmware "$rootfs" | cut -f1)
echo "  root file system: $used_mb MiB in a $slot_mb MiB slot"
[ $(( used_mb * 110 / 100 + 16 )) -le "$slot_mb" ] || die "the root file system ($used_mb MiB) does not fit a $slot_mb MiB slot with 10% free (ROOT_SLOT_MB)"
sed -e "s/@BOOTSIZE@/64M/; s/@ROOTSIZE@/${slot_mb}M/g" \
    -e "s/@IMAGE@/$image/; s/@DISKSIG@/$disksig/" "$recipe/genimage.cfg.in" > "$work/genimage.cfg"
rm -f "$out/$image" "$out/$image.xz"
rm -rf "$work/images" "$work/genimage-tmp"
nice -n 19 fakeroot genimage --config "$work/genimage.cfg" --rootpath "$rootfs" \
  --tmppath "$work/genimage-tmp" --inputpath "$work/images" --outputpath "$work/images" >"$work/genimage.log" 2>&1 \
  || { tail -30 "$work/genimage.log"; die "genimage failed"; }
mv "$work/images/$image" "$out/$image"
version="$(dpkg-deb -f "$deb" Version)"
echo "$version" > "$out/version"

# --- 5. RAUC update bundle (the same root file system image) -------------------------------------
# RAUC_ADAPTIVE=1: the image section ([image.rootfs], the manifest's last) gets
# adaptive=block-hash-index: the bundle carries a SHA-256 per 4 KiB block and an install takes
# blocks already on the card from there (measured: 99 % of a test bundle's blocks, none read from the
# bundle) and writes only blocks that differ from what the target slot holds, keeping each slot's
# index in system.conf's data-directory. Off by default: it reads both slots whole instead, which on
# the emulated Pi's SD card (reads slower than writes) doubled the install time (docs/image.md);
# to be measured on a real Pi.
adaptive_manifest() {
  if [ "${RAUC_ADAPTIVE:-0}" = 1 ]; then echo "adaptive=block-hash-index" >> "$1"; fi
}
if [ "${BUNDLE:-1}" != 0 ]; then
  step "RAUC bundle"
  rm -rf "$work/bundle"; mkdir -p "$work/bundle"  # rauc bundle adds rootfs.ext4.block-hash-index here
  cp "$work/images/rootfs.ext4" "$work/bundle/rootfs.ext4"
  sed -e "s/@VERSION@/$version/; s/@BUILD@/$(date -u +%Y%m%d%H%M%S)/" "$recipe/rauc/manifest.raucm.in" \
    > "$work/bundle/manifest.raucm"
  adaptive_manifest "$work/bundle/manifest.raucm"
  # Written under a temporary name: a bundle with the final name is always complete.
  bundle="$out/branchcast-rpi-arm64-$version.raucb"
  rm -f "$bundle" "$work/partial.raucb"
  nice -n 19 rauc bundle --cert="$cert" --key="$key" "$work/bundle" "$work/partial.raucb" >/dev/null
  mv "$work/partial.raucb" "$bundle"
  echo "  bundle: $(( $(stat -c %s "$bundle") / 1048576 )) MiB"
fi

# --- 6. test image and test bundles for `scripts/test-image.sh --boot` (TEST_IMAGE=0 skips) --------
# The same root file system plus image-build/test-overlay/ (a root shell on the serial console,
# which the shipped image never has), in out/image/test/: the test image, and two bundles made
# from it: "good" (a marker file only) and "broken" (a branchcast that exits at once). Hard-linked
# copies of the root file system; overlay files replace links, never write through them.
if [ "${TEST_IMAGE:-1}" != 0 ] && [ "${BUNDLE:-1}" != 0 ]; then
  step "test image and test bundles (out of $out/test; never shipped)"
  tdir="$out/test"
  rm -rf "$tdir" "$work/testroot" "$work/variant"; mkdir -p "$tdir"
  cp -al "$rootfs" "$work/testroot"
  cp -a --remove-destination "$recipe/test-overlay/." "$work/testroot/"
  variant_rootfs() {  # ROOT NAME -> $work/images/rootfs.ext4 of ROOT (the image genimage makes too is dropped)
    rm -f "$1/etc/branchcast-test-bundle"; echo "$2" > "$1/etc/branchcast-test-bundle"
    sed -e "s/@IMAGE@/$image-$2/" -e "s/@BOOTSIZE@/64M/; s/@ROOTSIZE@/${slot_mb}M/g" -e "s/@DISKSIG@/$disksig/" \
      "$recipe/genimage.cfg.in" > "$work/genimage-test.cfg"
    rm -rf "$work/images" "$work/genimage-tmp"
    nice -n 19 fakeroot genimage --config "$work/genimage-test.cfg" --rootpath "$1" \
      --tmppath "$work/genimage-tmp" --inputpath "$work/images" --outputpath "$work/images" >"$work/genimage.log" 2>&1 \
      || { tail -30 "$work/genimage.log"; die "genimage failed ($2)"; }
  }
  test_bundle() {  # NAME: $work/images/rootfs.ext4 -> $tdir/NAME.raucb
    mkdir -p "$work/bundle"; rm -f "$work/bundle/rootfs.ext4" "$work/bundle/rootfs.ext4.block-hash-index"
    mv "$work/images/rootfs.ext4" "$work/bundle/rootfs.ext4"
    sed -e "s/@VERSION@/$version-test-$1/; s/@BUILD@/$(date -u +%Y%m%d%H%M%S)/" "$recipe/rauc/manifest.raucm.in" \
      > "$work/bundle/manifest.raucm"
    adaptive_manifest "$work/bundle/manifest.raucm"
    # Under a temporary name, as the main bundle: a test bundle with its final name is complete.
    rm -f "$tdir/$1.raucb" "$work/partial.raucb"
    nice -n 19 rauc bundle --cert="$cert" --key="$key" "$work/bundle" "$work/partial.raucb" >/dev/null
    mv "$work/partial.raucb" "$tdir/$1.raucb"
  }
  variant_rootfs "$work/testroot" image
  mv "$work/images/$image-image" "$tdir/branchcast-rpi-arm64-test.img"
  cp -al "$work/testroot" "$work/variant"
  variant_rootfs "$work/variant" good
  test_bundle good
  rm -f "$work/variant/usr/bin/branchcast"
  printf '#!/bin/sh\n# TEST BUNDLE: a daemon that exits at once (scripts/test-image.sh --boot, rollback)\necho "branchcast: deliberately broken test bundle, exiting" >&2\nexit 1\n' \
    > "$work/variant/usr/bin/branchcast"
  chmod 0755 "$work/variant/usr/bin/branchcast"
  variant_rootfs "$work/variant" broken
  test_bundle broken
  rm -rf "$work/testroot" "$work/variant" "$work/images"
  echo "  $(cd "$tdir" && ls | tr '\n' ' ')"
fi

if [ "${COMPRESS:-1}" != 0 ]; then
  step "compressing (xz -T0 -6)"
  t0=$(date +%s)
  nice -n 19 xz -T0 -6 -k -f "$out/$image"
  echo "  xz: $(( $(stat -c %s "$out/$image.xz") / 1048576 )) MiB in $(( $(date +%s) - t0 ))s"
fi
rm -rf "$work/genimage-tmp" "$work/bundle"
step "done"
ls -l --block-size=M "$out"/*.img* "$out"/*.raucb 2>/dev/null || true
echo "image: $out/$image  (raw $(( $(stat -c %s "$out/$image") / 1048576 )) MiB)  build time $(( $(date +%s) - start ))s"
