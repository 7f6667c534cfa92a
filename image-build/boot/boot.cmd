# Branchcast A/B boot with RAUC's U-Boot boot counting (compiled to boot.scr by
# scripts/build-image.sh with mkimage). Root slot A is partition 2, slot B partition 3.
# BOOT_ORDER lists the slots to try; each try of a slot decrements BOOT_x_LEFT before booting it.
# RAUC (rauc status mark-good, run once branchcast is up) resets the counter; an update puts the
# new slot first with 3 tries. A slot that keeps failing (kernel panic -> reboot, hang -> hardware
# watchdog reset) runs out of tries and the next slot in BOOT_ORDER boots: the rollback.
test -n "${BOOT_ORDER}" || setenv BOOT_ORDER "A B"
test -n "${BOOT_A_LEFT}" || setenv BOOT_A_LEFT 3
test -n "${BOOT_B_LEFT}" || setenv BOOT_B_LEFT 3

setenv rootpart
setenv raucslot
for BOOT_SLOT in "${BOOT_ORDER}"; do
  if test "x${rootpart}" != "x"; then
    # a slot was already chosen
  elif test "x${BOOT_SLOT}" = "xA"; then
    if test ${BOOT_A_LEFT} -gt 0; then
      setexpr BOOT_A_LEFT ${BOOT_A_LEFT} - 1
      echo "branchcast: booting slot A, ${BOOT_A_LEFT} tries left"
      setenv rootpart 2
      setenv raucslot A
    fi
  elif test "x${BOOT_SLOT}" = "xB"; then
    if test ${BOOT_B_LEFT} -gt 0; then
      setexpr BOOT_B_LEFT ${BOOT_B_LEFT} - 1
      echo "branchcast: booting slot B, ${BOOT_B_LEFT} tries left"
      setenv rootpart 3
      setenv raucslot B
    fi
  fi
done

if test -z "${rootpart}"; then
  echo "branchcast: no slot has tries left; resetting the counters and rebooting"
  setenv BOOT_A_LEFT 3
  setenv BOOT_B_LEFT 3
  saveenv
  reset
fi
saveenv

# The firmware put cmdline.txt (plus its own arguments) into the device tree it passed us;
# append the chosen slot. The kernel honours the last root=.
part uuid ${devtype} ${devnum}:${rootpart} rootuuid
fdt addr ${fdt_addr}
fdt get value fwargs /chosen bootargs
setenv bootargs "${fwargs} root=PARTUUID=${rootuuid} rauc.slot=${raucslot}"

# Debian's arm64 vmlinuz is a plain Image (~33 MB); kernel_comp_* only matter for a compressed one.
setenv kernel_comp_addr_r 0x0a000000
setenv ramdisk_addr_r 0x06000000
load ${devtype} ${devnum}:${rootpart} ${kernel_addr_r} /boot/vmlinuz
setenv kernel_comp_size ${filesize}
load ${devtype} ${devnum}:${rootpart} ${ramdisk_addr_r} /boot/initrd.img
booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdt_addr}
echo "branchcast: booting slot ${raucslot} failed; resetting"
reset
