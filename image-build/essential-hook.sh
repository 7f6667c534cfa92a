#!/bin/sh
# mmdebstrap --essential-hook for the image's root file system (runs on the build host, before the
# kernel and the other packages are installed). Usage: essential-hook.sh ROOTFS DISK_SIGNATURE
set -eu
rootfs="$1"; disksig="$2"

# raspi-firmware's settings, so its dpkg configuration never asks.
mkdir -p "$rootfs/etc/default"
printf 'ROOTPART=PARTUUID=%s-02\nCONSOLES="ttyS1,115200 tty1"\n' "$disksig" > "$rootfs/etc/default/raspi-firmware"

# No initramfs while packages are installed: the kernel's postinst and several triggers would each
# build one under qemu-user (minutes each). update-initramfs is diverted to a no-op here;
# customize-rootfs.sh puts it back and builds the one initramfs the image ships.
chroot "$rootfs" dpkg-divert --quiet --local --rename --divert /usr/sbin/update-initramfs.branchcast \
  --add /usr/sbin/update-initramfs
mkdir -p "$rootfs/usr/sbin"
printf '#!/bin/sh\n# branchcast image build: the initramfs is made once at the end\nexit 0\n' \
  > "$rootfs/usr/sbin/update-initramfs"
chmod 0755 "$rootfs/usr/sbin/update-initramfs"
