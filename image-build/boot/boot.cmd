# Branchcast A/B boot with RAUC's U-Boot boot counting (compiled to boot.scr by
# scripts/build-image.sh with mkimage). Root slot A is partition 2, slot B partition 3.
# BOOT_ORDER lists the slots to try; each try of a slot decrements BOOT_x_LEFT before booting it.
# RAUC (rauc status mark-good, run by branchcast-mark-good once branchcast has been healthy for
# the settle time) resets the counter; an update (rauc install) puts the new slot first in
# BOOT_ORDER with 3 tries. A slot that keeps failing (kernel panic -> reboot, hang -> hardware
# watchdog reset, daemon failing -> mark-bad + reboot) runs out of tries and the next slot in
# BOOT_ORDER boots: the rollback. A slot skipped for having no tries left is dropped from
# BOOT_ORDER here, so it is never booted again until `rauc install` writes a new bundle into it
# (which puts it back first). A fresh card's BOOT_ORDER is "A": slot B is empty until the first
# update installs into it.
test -n "${BOOT_ORDER}" || setenv BOOT_ORDER "A"
test -n "${BOOT_A_LEFT}" || setenv BOOT_A_LEFT 3
test -n "${BOOT_B_LEFT}" || setenv BOOT_B_LEFT 3

setenv rootpart
setenv raucslot
setenv new_order
for BOOT_SLOT in "${BOOT_ORDER}"; do
  setenv keep 1
  if test "x${rootpart}" != "x"; then
    # a slot was already chosen; the ones after it stay in the order
    setenv keep 1
  elif test "x${BOOT_SLOT}" = "xA"; then
    if test ${BOOT_A_LEFT} -gt 0; then
      setexpr BOOT_A_LEFT ${BOOT_A_LEFT} - 1
      echo "branchcast: booting slot A, ${BOOT_A_LEFT} tries left"
      setenv rootpart 2
      setenv raucslot A
    else
      echo "branchcast: slot A has no tries left: dropped from BOOT_ORDER"
      setenv keep 0
    fi
  elif test "x${BOOT_SLOT}" = "xB"; then
    if test ${BOOT_B_LEFT} -gt 0; then
      setexpr BOOT_B_LEFT ${BOOT_B_LEFT} - 1
      echo "branchcast: booting slot B, ${BOOT_B_LEFT} tries left"
      setenv rootpart 3
      setenv raucslot B
    else
      echo "branchcast: slot B has no tries left: dropped from BOOT_ORDER"
      setenv keep 0
    fi
  else
    setenv keep 0
  fi
  if test "${keep}" = 1; then
    if test -z "${new_order}"; then setenv new_order "${BOOT_SLOT}"; else setenv new_order "${new_order} ${BOOT_SLOT}"; fi
  fi
done

if test -z "${rootpart}"; then
  # Every slot still in BOOT_ORDER ran out of tries (all of them are broken, or a slot never marked
  # itself good): keep trying them rather than stop. Slots dropped earlier stay dropped.
  echo "branchcast: no slot in BOOT_ORDER (${BOOT_ORDER}) has tries left; resetting their counters and rebooting"
  for BOOT_SLOT in "${BOOT_ORDER}"; do
    if test "x${BOOT_SLOT}" = "xA"; then setenv BOOT_A_LEFT 3; fi
    if test "x${BOOT_SLOT}" = "xB"; then setenv BOOT_B_LEFT 3; fi
  done
  setenv new_order
  setenv keep
  saveenv
  reset
fi
setenv BOOT_ORDER "${new_order}"
setenv new_order
setenv keep
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
