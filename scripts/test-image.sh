#!/usr/bin/env bash
# Tests a built Branchcast image (not part of scripts/test.sh: it needs scripts/build-image.sh first).
#   scripts/test-image.sh [IMAGE]       (default out/image/branchcast-rpi-arm64.img; needs root)
# Checks the partition table and file systems (sfdisk, fsck.vfat, e2fsck, mtools), config.txt and
# cmdline.txt, the units (systemd-analyze verify and security), the read-only/volatile setup,
# provisioning, the RAUC bundle, and runs branchcast inside the image's arm64 root file system
# through qemu-user. Ends with "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
img="${1:-$root/out/image/branchcast-rpi-arm64.img}"
disksig=b7a9c0de
[ "$(id -u)" -eq 0 ] || { echo "test-image: run as root (chroot)" >&2; exit 2; }
[ -f "$img" ] || { echo "test-image: no image at $img (run scripts/build-image.sh)" >&2; exit 2; }
"$root/scripts/install-deps.sh" "$root/scripts/packages-image.txt"

passed=0; failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
check() {  # DESCRIPTION COMMAND...: passes when the command succeeds
  local what="$1"; shift
  if "$@" >"$tmp/check.log" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/     /' "$tmp/check.log" | tail -15; fi
}
tmp="$(mktemp -d)"
mounted=()
cleanup() {
  local i
  for (( i=${#mounted[@]}-1; i>=0; i-- )); do umount "${mounted[$i]}" 2>/dev/null || umount -l "${mounted[$i]}"; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- partition table -------------------------------------------------------------------------------
sfdisk -d "$img" > "$tmp/table" 2>/dev/null
echo "partition table:"; sed 's/^/  /' "$tmp/table"
part() {  # N FIELD: start or size (sectors) of partition N
  sed -n "s/.*${img##*/}$1 *: *start= *\([0-9]*\), *size= *\([0-9]*\), *type=\([0-9a-f]*\).*/\1 \2 \3/p" "$tmp/table" \
    | awk -v f="$2" '{ print (f == "start" ? $1 : f == "size" ? $2 : $3) }'
}
check "MBR partition table with disk signature 0x$disksig" grep -q "^label-id: 0x$disksig" "$tmp/table"
check "4 partitions" test "$(grep -c "^${img//\//\\/}[0-9]" "$tmp/table")" -eq 4
check "partition 1 is FAT32 (LBA) and bootable" grep -Eq "${img##*/}1 .*type=c, bootable" "$tmp/table"
check "partitions 2-4 are Linux" test "$(part 2 type)$(part 3 type)$(part 4 type)" = "838383"
check "root slots A and B have the same size" test "$(part 2 size)" = "$(part 3 size)"
check "partition 1 starts 4 MiB aligned" test $(( $(part 1 start) % 8192 )) -eq 0
extract() { dd if="$img" of="$tmp/p$1" bs=512 skip="$(part "$1" start)" count="$(part "$1" size)" status=none; }
for n in 1 2 3 4; do extract "$n"; done

# --- file systems ------------------------------------------------------------------------------------
check "boot: fsck.vfat clean" fsck.vfat -n "$tmp/p1"
check "root slot A: e2fsck clean" e2fsck -fn "$tmp/p2"
check "data: e2fsck clean" e2fsck -fn "$tmp/p4"
check "root slot A is labelled rootfs, data is labelled data" \
  sh -c "[ \"\$(e2label '$tmp/p2')\" = rootfs ] && [ \"\$(e2label '$tmp/p4')\" = data ]"
check "root slot B is empty until the first update" sh -c "! blkid -p '$tmp/p3' >/dev/null 2>&1"

# --- boot partition ----------------------------------------------------------------------------------
mdir -i "$tmp/p1" -b ::/ > "$tmp/bootfiles" 2>&1
echo "boot partition: $(wc -l < "$tmp/bootfiles") entries"
for f in config.txt cmdline.txt u-boot.bin boot.scr bootcode.bin start.elf fixup.dat start4.elf fixup4.dat \
         bcm2711-rpi-4-b.dtb bcm2711-rpi-400.dtb bcm2837-rpi-3-b.dtb bcm2837-rpi-3-b-plus.dtb \
         bcm2837-rpi-zero-2-w.dtb branchcast.txt.example; do
  check "boot: $f present" grep -qi "^::/$f$" "$tmp/bootfiles"
done
check "boot: no kernel copies (the kernel comes from the root slot)" sh -c "! grep -Eq 'vmlinuz|initrd' '$tmp/bootfiles'"
mtype -i "$tmp/p1" ::/config.txt > "$tmp/config.txt"
mtype -i "$tmp/p1" ::/cmdline.txt > "$tmp/cmdline.txt"
mcopy -i "$tmp/p1" ::/boot.scr "$tmp/boot.scr"
check "config.txt: 64-bit, starts U-Boot" sh -c "grep -qx 'arm_64bit=1' '$tmp/config.txt' && grep -qx 'kernel=u-boot.bin' '$tmp/config.txt'"
check "cmdline.txt: one line" test "$(wc -l < "$tmp/cmdline.txt")" -le 1
for arg in "root=PARTUUID=$disksig-02" ro rootwait "console=tty1" "console=ttyS1,115200" "panic=10" "net.ifnames=0"; do
  check "cmdline.txt: $arg" grep -Eq "(^| )$arg( |$)" "$tmp/cmdline.txt"
done
check "cmdline.txt: no rw" sh -c "! grep -Eq '(^| )rw( |$)' '$tmp/cmdline.txt'"
check "boot.scr is a U-Boot script with the A/B counting" \
  sh -c "mkimage -l '$tmp/boot.scr' | grep -q Script && strings '$tmp/boot.scr' | grep -q BOOT_A_LEFT"
check "u-boot.bin keeps its environment in uboot.env on the boot partition" \
  sh -c "mcopy -i '$tmp/p1' ::/u-boot.bin - | strings | grep -q '^uboot.env$'"

# --- root file system (slot A), unpacked from the image --------------------------------------------
rootfs="$tmp/rootfs"; mkdir -p "$rootfs"
debugfs -R "rdump / $rootfs" "$tmp/p2" >/dev/null 2>&1
rm -f "$tmp/p2" "$tmp/p3"
r() { echo "$rootfs$1"; }
check "rootfs: kernel and initramfs at the names boot.scr loads" test -s "$(r /boot/vmlinuz)" -a -s "$(r /boot/initrd.img)"
check "rootfs: Wi-Fi firmware for the Pi 4/3B+ and 3/Zero 2 W (brcmfmac43455, brcmfmac43430)" \
  sh -c "ls '$(r /lib/firmware/brcm)' | grep -q '^brcmfmac43455-sdio.bin' && ls '$(r /lib/firmware/brcm)' | grep -q '^brcmfmac43430-sdio.bin'"
check "rootfs: Bluetooth firmware (BCM*.hcd from bluez-firmware)" sh -c "ls '$(r /lib/firmware/brcm)' | grep -q '^BCM.*\\.hcd$'"
check "fstab: no root entry (root stays read-only)" sh -c "! awk '\$2 == \"/\"' '$(r /etc/fstab)' | grep -q ."
check "fstab: /data ext4, /boot/firmware vfat, /var and /tmp tmpfs" sh -c "
  awk '\$2==\"/data\" && \$3==\"ext4\"' '$(r /etc/fstab)' | grep -q . &&
  awk '\$2==\"/boot/firmware\" && \$3==\"vfat\"' '$(r /etc/fstab)' | grep -q . &&
  awk '\$2==\"/var\" && \$3==\"tmpfs\"' '$(r /etc/fstab)' | grep -q . &&
  awk '\$2==\"/tmp\" && \$3==\"tmpfs\"' '$(r /etc/fstab)' | grep -q ."
check "journald: volatile with a size cap" sh -c "
  grep -qx 'Storage=volatile' '$(r /etc/systemd/journald.conf.d/branchcast.conf)' &&
  grep -q '^RuntimeMaxUse=' '$(r /etc/systemd/journald.conf.d/branchcast.conf)'"
check "hardware watchdog: RuntimeWatchdogSec set, bcm2835_wdt loaded and in the initramfs" sh -c "
  grep -q '^RuntimeWatchdogSec=' '$(r /etc/systemd/system.conf.d/branchcast-watchdog.conf)' &&
  grep -qx bcm2835_wdt '$(r /etc/modules-load.d/branchcast.conf)' &&
  lsinitramfs '$(r /boot/initrd.img)' | grep -q bcm2835_wdt"
check "bluetoothd runs with --experimental (drop-in)" \
  grep -q 'bluetoothd --experimental' "$(r /etc/systemd/system/bluetooth.service.d/branchcast.conf)"
check "machine-id empty (a new one in RAM every boot)" test ! -s "$(r /etc/machine-id)"
check "no persistent journal, no logs in the image" sh -c "[ ! -d '$(r /var/log/journal)' ] && [ -z \"\$(ls -A '$(r /var/log)' 2>/dev/null)\" ]"
check "no SSH host keys or server in the image" sh -c "! ls '$(r /etc/ssh)'/ssh_host_* >/dev/null 2>&1 && [ ! -e '$(r /usr/sbin/sshd)' ]"
check "root account locked" sh -c "awk -F: '\$1==\"root\" { exit (\$2 ~ /^[*!]/ ? 0 : 1) }' '$(r /etc/shadow)'"
for unit in branchcast.service branchcast-provision.service; do
  check "unit $unit in the package" test -f "$(r /lib/systemd/system/$unit)"
done
for unit in branchcast.service branchcast-provision.service systemd-networkd.service wpa_supplicant@wlan0.service \
            systemd-timesyncd.service bluetooth.service rauc-mark-good.service branchcast-grow-data.service; do
  check "unit $unit enabled" sh -c "ls '$(r /etc/systemd/system)'/*.wants/$unit >/dev/null 2>&1"
done
check "user branchcast in video, render, bluetooth" sh -c "
  for g in video render bluetooth; do grep -q \"^\$g:.*[:,]branchcast\\(,\\|\$\\)\" '$(r /etc/group)' || exit 1; done"
check "RAUC: system.conf with slots A/B on partitions 2/3 and a keyring" sh -c "
  grep -q 'bootname=A' '$(r /etc/rauc/system.conf)' && grep -q 'bootname=B' '$(r /etc/rauc/system.conf)' &&
  grep -q '$disksig-02' '$(r /etc/rauc/system.conf)' && grep -q '$disksig-03' '$(r /etc/rauc/system.conf)' &&
  openssl x509 -noout -in '$(r /etc/rauc/keyring.pem)'"
bundle="$(ls "$(dirname "$img")"/*.raucb 2>/dev/null | tail -n 1)"
if [ -n "$bundle" ]; then
  check "RAUC bundle verifies against the image's keyring and is compatible" sh -c "
    rauc info --keyring='$(r /etc/rauc/keyring.pem)' '$bundle' > '$tmp/rauc-info' 2>&1 &&
    grep -q \"Compatible:.*'\$(sed -n 's/^compatible=//p' '$(r /etc/rauc/system.conf)')'\" '$tmp/rauc-info'"
else
  bad "RAUC bundle built next to the image"
fi

# --- units: systemd-analyze -----------------------------------------------------------------------
for f in proc sys dev; do mount --bind "/$f" "$rootfs/$f" && mounted+=("$rootfs/$f"); done
mount -t tmpfs tmpfs "$rootfs/run" && mounted+=("$rootfs/run")
mount -t tmpfs tmpfs "$rootfs/tmp" && mounted+=("$rootfs/tmp")
check "systemd-analyze verify (arm64, in the rootfs): branchcast units clean" \
  sh -c "chroot '$rootfs' systemd-analyze verify --man=no branchcast.service branchcast-provision.service 2>&1 | tee /dev/stderr | grep -v 'Cannot add dependency job' | grep -q . && exit 1 || exit 0"
systemd-analyze security --offline=yes --root="$rootfs" branchcast.service > "$tmp/security" 2>&1
score="$(sed -n 's/.*Overall exposure level for branchcast.service: \([0-9.]*\).*/\1/p' "$tmp/security")"
check "systemd-analyze security exposure ${score:-?} <= 3.0" awk -v s="${score:-99}" 'BEGIN { exit !(s <= 3.0) }'

# --- branchcast inside the arm64 root file system through qemu-user ---------------------------------
check "the root file system is arm64" sh -c "file -L '$(r /usr/bin/branchcast)' | grep -q 'ARM aarch64'"
check "branchcast --version (arm64, qemu-user)" sh -c "chroot '$rootfs' /usr/bin/branchcast --version | tee /dev/stderr | grep -q ."
check "branchcast validate the demo branch (arm64, qemu-user)" \
  chroot "$rootfs" /usr/bin/branchcast validate /usr/share/branchcast/demo-branch/appliance.yaml
chroot "$rootfs" /usr/bin/branchcast doctor --offline --config /usr/share/branchcast/demo-branch/appliance.yaml \
  > "$tmp/doctor" 2>&1; rc=$?
if grep -qi 'not available yet' "$tmp/doctor"; then
  echo "note branchcast doctor --offline is not implemented yet in this build (exit $rc): $(head -1 "$tmp/doctor")"
else
  check "branchcast doctor --offline (arm64, qemu-user) exits 0" test "$rc" -eq 0
fi

# --- data partition and provisioning ---------------------------------------------------------------
data="$tmp/data"; mkdir -p "$data"
debugfs -R "rdump / $data" "$tmp/p4" >/dev/null 2>&1
ids="$(chroot "$rootfs" id -u branchcast):$(chroot "$rootfs" id -g branchcast)"
check "data: demo branch as the default config, owned by branchcast" \
  sh -c "[ -f '$data/branchcast/appliance.yaml' ] && [ \"\$(debugfs -R 'stat /branchcast/appliance.yaml' '$tmp/p4' 2>/dev/null | sed -n 's/.*User: *\([0-9]*\) *Group: *\([0-9]*\).*/\1:\2/p')\" = '$ids' ]"
check "data: state folder only for branchcast (0700)" \
  sh -c "debugfs -R 'stat /branchcast/state' '$tmp/p4' 2>/dev/null | grep -q 'Mode:  *0700'"
# Provisioning, run in the arm64 root file system against scratch boot/data folders.
mkdir -p "$rootfs/tmp/pboot" "$rootfs/tmp/pdata"
printf 'BRANCH_ID=riverside\r\nWIFI_SSID=Library Staff\r\nWIFI_PSK=correct horse battery\r\nWIFI_COUNTRY=GB\r\n' \
  > "$rootfs/tmp/pboot/branchcast.txt"
chroot "$rootfs" env BRANCHCAST_BOOT_DIR=/tmp/pboot BRANCHCAST_DATA_DIR=/tmp/pdata \
  /usr/libexec/branchcast/branchcast-provision > "$tmp/provision.log" 2>&1; rc=$?
sed 's/^/     /' "$tmp/provision.log"
wpa="$rootfs/tmp/pdata/etc/wpa_supplicant/wpa_supplicant-wlan0.conf"
check "provision: exits 0" test "$rc" -eq 0
check "provision: the file on the boot partition is removed" test ! -e "$rootfs/tmp/pboot/branchcast.txt"
check "provision: Wi-Fi config written 0600 with the derived key, not the passphrase" sh -c "
  [ \"\$(stat -c %a '$wpa')\" = 600 ] && grep -q 'ssid=\"Library Staff\"' '$wpa' &&
  grep -Eq '^[[:space:]]*psk=[0-9a-f]{64}$' '$wpa' && ! grep -q 'correct horse' '$wpa'"
check "provision: branch id applied to the demo config" grep -q '^  id: riverside$' "$rootfs/tmp/pdata/branchcast/appliance.yaml"
check "provision: the provisioned config validates" \
  chroot "$rootfs" /usr/bin/branchcast validate /tmp/pdata/branchcast/appliance.yaml
check "provision: nothing secret in its log" sh -c "! grep -Eq 'Library Staff|correct horse|riverside' '$tmp/provision.log'"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
