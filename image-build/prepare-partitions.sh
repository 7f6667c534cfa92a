#!/bin/sh
# Lays out the boot and data partitions' contents inside the root file system tree, where
# genimage's "mountpoint" takes them from. Usage: prepare-partitions.sh ROOTFS RECIPE_DIR DISK_SIGNATURE
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

# Data: the demo branch as the default config, the daemon's state folder, RAUC's status.
data="$rootfs/data"
rm -rf "${data:?}"/* "$data"/.[!.]* 2>/dev/null || true
mkdir -p "$data/branchcast/state" "$data/etc/wpa_supplicant" "$data/rauc"
cp -a "$rootfs/usr/share/branchcast/demo-branch/." "$data/branchcast/"
ids="$(awk -F: '$1 == "branchcast" { print $3 ":" $4 }' "$rootfs/etc/passwd")"
[ -n "$ids" ] || { echo "prepare-partitions: no branchcast user in the rootfs" >&2; exit 1; }
chown -R "$ids" "$data/branchcast"
chmod 0750 "$data/branchcast"; chmod 0700 "$data/branchcast/state" "$data/etc/wpa_supplicant"
