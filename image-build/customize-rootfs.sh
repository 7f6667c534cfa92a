#!/bin/sh
# mmdebstrap --customize-hook for the image's root file system (runs on the build host).
# Usage: customize-rootfs.sh ROOTFS RECIPE_DIR DISK_SIGNATURE RAUC_CERT
set -eu
rootfs="$1"; recipe="$2"; disksig="$3"; cert="$4"
say() { echo "customize-rootfs: [$(date +%T)] $*"; }

# Configuration files of the appliance (see image-build/rootfs/ and docs/image.md).
cp -rT "$recipe/rootfs" "$rootfs"
sed -i "s/@DISKSIG@/$disksig/g" "$rootfs/etc/fstab" "$rootfs/etc/rauc/system.conf" \
  "$rootfs/etc/systemd/system/branchcast-make-partitions.service"
install -m 0644 "$cert" "$rootfs/etc/rauc/keyring.pem"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tbranchcast\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$rootfs/etc/hosts"

# Read-only root: a fresh machine id every boot (systemd keeps it in /run; nothing persistent
# identifies the device), resolv.conf from resolved, the Wi-Fi config on the data partition.
: > "$rootfs/etc/machine-id"
rm -f "$rootfs/var/lib/dbus/machine-id"
ln -sf ../run/systemd/resolve/stub-resolv.conf "$rootfs/etc/resolv.conf"
mkdir -p "$rootfs/etc/wpa_supplicant" "$rootfs/data" "$rootfs/boot/firmware"
ln -sf /data/etc/wpa_supplicant/wpa_supplicant-wlan0.conf "$rootfs/etc/wpa_supplicant/wpa_supplicant-wlan0.conf"

# Only the kernel modules a Pi uses (kernel/modules.keep), then the one initramfs of the image
# (essential-hook.sh kept update-initramfs from making any while packages were installed).
say "pruning kernel modules"
"$recipe/kernel/prune-modules.sh" "$rootfs" "$recipe/kernel/modules.keep"
rm -f "$rootfs/usr/sbin/update-initramfs"
chroot "$rootfs" dpkg-divert --quiet --local --rename --divert /usr/sbin/update-initramfs.branchcast \
  --remove /usr/sbin/update-initramfs
kernel="$(cd "$rootfs/boot" && ls vmlinuz-* | sort -V | tail -n 1)"
kver="${kernel#vmlinuz-}"
say "initramfs for $kver (MODULES=list)"
rm -f "$rootfs"/boot/initrd.img-*
chroot "$rootfs" mkinitramfs -o "/boot/initrd.img-$kver" "$kver"
say "initramfs done: $(du -k "$rootfs/boot/initrd.img-$kver" | cut -f1) KiB"
# raspi-firmware's kernel hook copies the device trees to /boot/firmware; during the bootstrap it
# stopped early for want of an initramfs, so run it now.
chroot "$rootfs" env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware "$kver"
# The other vendors' boards' device trees (26 MiB): the Pi boots with the firmware's copies, made
# just now from broadcom/, which stays.
find "$rootfs/usr/lib/linux-image-$kver" -mindepth 1 -maxdepth 1 -type d ! -name broadcom -exec rm -rf {} +

# U-Boot loads the kernel and initramfs of the booted slot by fixed names.
ln -f "$rootfs/boot/$kernel" "$rootfs/boot/vmlinuz"
ln -f "$rootfs/boot/initrd.img-$kver" "$rootfs/boot/initrd.img"

# wpa_supplicant@wlan0 is started by udev when wlan0 appears (rules.d/90-branchcast-wlan.rules), not
# wanted by multi-user.target. Nothing waits for network-online.target (content sync waits for the
# network itself), so systemd-networkd-wait-online stays off: a boot without network is normal.
chroot "$rootfs" systemctl enable systemd-networkd.service systemd-resolved.service \
  systemd-timesyncd.service bluetooth.service \
  branchcast-provision.service branchcast.service branchcast-make-partitions.service \
  branchcast-mark-good.service
chroot "$rootfs" systemctl disable wpa_supplicant@wlan0.service \
  systemd-networkd-wait-online.service >/dev/null 2>&1 || true
# The clock's floor before the first boot's clock file exists (systemd >= 247 reads this mtime;
# see the systemd-timesyncd drop-in): the build time, so a fresh card starts no earlier than its
# build (a Pi has no real-time clock).
touch "$rootfs/usr/lib/clock-epoch"
# Nothing may write to the read-only root or update packages behind RAUC's back.
for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
            systemd-machine-id-commit.service; do
  chroot "$rootfs" systemctl mask "$unit" >/dev/null 2>&1 || true
done
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* \
  "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old
