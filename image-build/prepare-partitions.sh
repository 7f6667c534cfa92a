#!/bin/sh
# Lays out the boot partition's contents inside the root file system tree, where genimage's
# "mountpoint" takes them from. /data stays empty: that partition is made on the first boot.
# Usage: prepare-partitions.sh ROOTFS RECIPE_DIR DISK_SIGNATURE
set -eu
rootfs="$1"; recipe="$2"; disksig="$3"
fw="$rootfs/boot/firmware"

# Boot: the Pi firmware and device trees as raspi-firmware laid them out, U-Boot and its script
# instead of the kernel copies (the kernel comes from the booted root slot), our config.txt and
# cmdline.txt. uboot.env is created by U-Boot on the first boot from its defaults.
rm -f "$fw"/vmlinuz* "$fw"/initrd.img* "$fw/config.txt" "$fw/cmdline.txt" "$fw/uboot.env"
install -m 0644 "$rootfs/usr/lib/u-boot/rpi_arm64/u-boot.bin" "$fw/u-boot.bin"
mkimage -A arm64 -O linux -T script -C none -n "branchcast A/B" -d "$recipe/boot/boot.cmd" "$fw/boot.scr" >/dev/null
install -m 0644 "$recipe/boot/config.txt" "$fw/config.txt"
sed "s/@DISKSIG@/$disksig/" "$recipe/boot/cmdline.txt" > "$fw/cmdline.txt"
install -m 0644 "$recipe/boot/branchcast.txt.example" "$fw/branchcast.txt.example"

# /data is only a mount point in the root slot (the package's tmpfiles snippet made folders there).
find "$rootfs/data" -mindepth 1 -delete
