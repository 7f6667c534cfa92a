#!/usr/bin/python3
"""Boots the Branchcast test image in an emulated Raspberry Pi 3B and proves it end to end.

Run by `scripts/test-image.sh --boot` (see there and docs/image.md, "Emulated boot test"); not
part of .ci/run. Usage: image-boot-test.py TEST_DIR WORK_DIR
TEST_DIR is out/image/test from scripts/build-image.sh: branchcast-rpi-arm64-test.img (the
shipped image plus a root shell on the serial console, image-build/test-overlay/), good.raucb and
broken.raucb. The image is booted as built: it is only copied and grown to a 4 GiB SD card.

QEMU: qemu-system-aarch64 -M raspi3b -kernel u-boot.bin -dtb bcm2837-rpi-3-b.dtb (both from the
image's boot partition: QEMU has no VideoCore firmware to start U-Boot), the card as the SD card,
the second UART (the Pi 3's mini UART, ttyS1: U-Boot's and the kernel's console) on a socket.
Kernel arguments: cmdline.txt as the firmware would pass it, plus only what QEMU needs:
  modprobe.blacklist=bcm2835_wdt  QEMU's BCM2835 power manager resets the machine as soon as the
                                  watchdog is armed (it has no countdown), and systemd arms it at
                                  start (RuntimeWatchdogSec=15s). Without the driver the kernel has
                                  no way to reset a raspi3b (no PSCI): after "reboot: Restarting
                                  system" this script presses reset (QEMU monitor system_reset),
                                  which is what the watchdog would have done.
  modprobe.blacklist=vchiq        QEMU does not emulate the VideoCore's VCHIQ interface: the
                                  driver's vchiq-sync thread oopses ("Unable to handle kernel
                                  paging request", pc sync_func [vchiq]) while udev loads modules,
                                  seen at 06:08 UTC 2026-12-06; it only serves the firmware's
                                  camera/audio services the image does not use.
Stages (each printed with its time), four boots of the card in all (sessions 1-5 used six):
0. U-Boot and boot.scr alone on a scratch card (partition table and boot partition only): a fresh
   card boots A; an exhausted slot B first in BOOT_ORDER is skipped and dropped. Run beside the
   first boot (the emulated board leaves a core idle while it waits for its SD card).
1. First boot (A): slot B and /data made, no failed units but those explained by missing
   hardware, system "running" without a network, branchcast active and /healthz 200, A marked
   good, clock file on /data, sync not failed.
2. Still in the first boot: /data unmounted on the board (`systemctl stop data.mount`), the card's
   partitions checked and the test bundles written into /data with debugfs from the host, /data
   mounted again (instead of a power-off and another 5-minute boot).
3. Still in the first boot: the broken bundle installed offline with the clock 3 years behind;
   reboot into B, which marks itself bad and reboots; U-Boot boots A (the rollback boot): B is
   marked bad and out of BOOT_ORDER; A marked good again; and U-Boot run alone on the card's boot
   partition as the rollback left it boots A, not B (instead of one more 5-minute reboot into A;
   copied before and run beside the good install of stage 4).
4. From the rollback boot: the good bundle installed into B; B booted,
   /healthz 200, B marked good; power off; the card's environment checked.
RAUC's own log of each install is printed (where its minutes go). Ends "N passed, N failed" and
the time of each stage.
"""
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time

T0 = time.monotonic()
passed = failed = 0
# mark-slot-good's settle time in the test image: 30 s (image-build/test-overlay/, a drop-in for
# branchcast-mark-good.service); the shipped image's is 120 s (scripts/test-image.sh checks it).
SETTLE = 30
# Units that fail only because the emulated board lacks hardware (unit -> why). Anything else fails.
# Empty by measurement: the first boot of 2026-12-06 08:40 UTC under QEMU had no failed unit at all
# (`systemctl --failed` empty, is-system-running "running"): what needs missing hardware is started
# by udev when the device appears (wpa_supplicant@wlan0), is skipped by a condition (bluetooth.service:
# no /sys/class/bluetooth), or keeps running without it (branchcast: no display, no CEC adapter).
HARDWARE_FAILURES = {
}


def stamp():
    s = int(time.monotonic() - T0)
    return f"[{s // 60:02d}:{s % 60:02d}]"


STAGES = []  # (name, seconds since the start) for the summary at the end


def stage(name):
    STAGES.append((name, time.monotonic() - T0))
    print(f"{stamp()} == {name}", flush=True)


def mmss(seconds):
    s = int(seconds)
    return f"{s // 60}:{s % 60:02d}"


CHECK_LOCK = threading.Lock()  # U-Boot-only runs check from a thread beside the board's


def check(what, ok, detail=""):
    with CHECK_LOCK:
        return _check(what, ok, detail)


def _check(what, ok, detail):
    global passed, failed
    if ok:
        passed += 1
        print(f"{stamp()} ok   {what}", flush=True)
    else:
        failed += 1
        print(f"{stamp()} FAIL {what}", flush=True)
        for line in str(detail).strip().splitlines()[-20:]:
            print(f"         {line}", flush=True)
    return ok


class Timeout(Exception):
    pass


class Beside(threading.Thread):
    """Runs fn() beside the board (U-Boot-only checks take a core the emulated board leaves idle
    while it waits for its SD card); join() returns what fn returned."""

    def __init__(self, fn):
        super().__init__(daemon=True)
        self.fn, self.result, self.error = fn, None, None
        self.start()

    def run(self):
        try:
            self.result = self.fn()
        except BaseException as e:  # reported by join()
            self.error = e

    def join(self, timeout=None):
        super().join(timeout)
        if self.error:
            raise self.error
        return self.result


class Pi:
    """One QEMU run: the serial console (ttyS1) and the monitor."""

    def __init__(self, work, card, uboot, dtb, append, log):
        self.work = work
        self.ser_path = os.path.join(work, "serial.sock")
        self.mon_path = os.path.join(work, "monitor.sock")
        for p in (self.ser_path, self.mon_path):
            if os.path.exists(p):
                os.unlink(p)
        self.log = open(log, "ab")
        cmd = ["qemu-system-aarch64", "-M", "raspi3b", "-kernel", uboot, "-dtb", dtb,
               "-drive", f"if=sd,format=raw,file={card}", "-append", append,
               "-display", "none", "-no-user-config",
               "-serial", "null",
               "-chardev", f"socket,id=ser1,path={self.ser_path},server=on,wait=off",
               "-serial", "chardev:ser1",
               "-monitor", f"unix:{self.mon_path},server=on,wait=off"]
        self.log.write(("\n### " + " ".join(cmd) + "\n").encode())
        self.qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        self.ser = self._connect(self.ser_path)
        self.buf = b""
        self.seq = 0
        self.resets = 0
        self.powered_on = time.monotonic()  # power on or the last reset: "boot took" figures

    def _connect(self, path):
        for _ in range(100):
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                return s
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"QEMU did not open {path} (see the log)")

    def monitor(self, command):
        m = self._connect(self.mon_path)
        m.settimeout(5)
        try:
            m.sendall((command + "\n").encode())
            time.sleep(1)
        finally:
            m.close()

    def _read(self, timeout):
        self.ser.settimeout(timeout)
        try:
            data = self.ser.recv(65536)
        except socket.timeout:
            return b""
        if not data:
            raise RuntimeError("the serial console closed (QEMU exited?)")
        self.log.write(data)
        self.log.flush()
        return data

    def expect(self, pattern, timeout, keep=False):
        """Waits for a regex on the console; returns the match. Presses reset after a reboot."""
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        end = time.monotonic() + timeout
        restarting_since = None
        while True:
            m = rx.search(self.buf)
            if m:
                if not keep:
                    self.buf = self.buf[m.end():]
                return m
            if b"reboot: Restarting system" in self.buf[-4096:] and restarting_since is None:
                restarting_since = time.monotonic()
            if restarting_since and time.monotonic() - restarting_since > 5:
                # The watchdog driver is blacklisted under QEMU: be the reset it would have done.
                self.buf = self.buf.replace(b"reboot: Restarting system", b"reboot: restarted by the test")
                restarting_since = None
                self.resets += 1
                self.monitor("system_reset")
                self.powered_on = time.monotonic()
            left = end - time.monotonic()
            if left <= 0:
                raise Timeout(f"no {pattern!r} on the console within {timeout} s")
            self.buf += self._read(min(left, 2))
            self.buf = self.buf[-262144:]

    def shell_ready(self, timeout):
        """Waits for the test image's serial root shell (it prints its prompt when it starts) and
        switches its echo off. Newlines are sent only once the kernel runs: one during U-Boot's
        autoboot countdown would stop the boot."""
        self.expect(r"Starting kernel", 300)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                self.expect(r"bash-[0-9.]+# ", 60)
                rc, out = self.run("stty -echo; PS1=''; export SYSTEMD_PAGER= SYSTEMD_COLORS=0", 60)
                if rc == 0:
                    return True
            except Timeout:
                self.ser.sendall(b"\n")
        raise Timeout(f"no shell on the serial console within {timeout} s")

    def run(self, command, timeout=120):
        """Runs a command in the serial shell; returns (exit status, output)."""
        self.seq += 1
        n = self.seq
        # The markers are split by quotes in what is sent, so an echo of the input never matches.
        line = f"echo '@@B''{n}@@'; {command} 2>&1; echo '@@E''{n}@@'$?'@@'\n"
        self.buf = b""
        self.ser.sendall(line.encode())
        m = self.expect(rf"(?s)@@B{n}@@\r?\n(.*?)@@E{n}@@(\d+)@@", timeout)
        out = m.group(1).decode(errors="replace").replace("\r", "")
        return int(m.group(2)), out

    def wait_for(self, command, predicate, timeout, every=10):
        """Runs command until predicate(rc, out) holds; returns (ok, last output)."""
        end = time.monotonic() + timeout
        out = ""
        while True:
            rc, out = self.run(command, 120)
            if predicate(rc, out):
                return True, out
            if time.monotonic() > end:
                return False, out
            time.sleep(every)

    def stop(self):
        try:
            self.qemu.terminate()
            self.qemu.wait(20)
        except Exception:
            self.qemu.kill()
        self.ser.close()
        self.log.close()


HEALTHZ = ("timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/8642 && "
           "printf \"GET /healthz HTTP/1.0\\r\\n\\r\\n\" >&3 && cat <&3' | head -n 1")


# --- the card on the host ---------------------------------------------------------------------
def partitions(card):
    out = subprocess.run(["sfdisk", "-d", card], capture_output=True, text=True).stdout
    parts = {}
    for m in re.finditer(r"\.img(\d+)\s*:\s*start=\s*(\d+),\s*size=\s*(\d+),\s*type=(\w+)", out):
        parts[int(m.group(1))] = (int(m.group(2)), int(m.group(3)), m.group(4))
    return parts


def ext4_label(card, start):
    with open(card, "rb") as f:
        f.seek(start * 512 + 1024)
        sb = f.read(1024)
    if struct.unpack_from("<H", sb, 56)[0] != 0xEF53:
        return None
    return sb[120:136].split(b"\0")[0].decode()


def uboot_env(card, parts):
    r = subprocess.run(["mcopy", "-n", "-i", f"{card}@@{parts[1][0] * 512}", "::/uboot.env", "-"],
                       capture_output=True)
    if r.returncode != 0:
        return {}
    env = {}
    for item in r.stdout[4:].split(b"\0\0")[0].split(b"\0"):
        m = re.match(rb"([A-Za-z0-9_.]+)=(.*)", item, re.S)
        if m:
            env[m.group(1).decode()] = m.group(2).decode(errors="replace")
    return env


def copy_into_data(card, start, files):
    """Writes files into the data partition's /test-bundles with debugfs (QEMU is stopped), on
    the card itself (debugfs's ?offset=): no copy of the partition, nothing written back."""
    cmds = "mkdir test-bundles\ncd test-bundles\n" + "".join(f"write {src} {name}\n" for name, src in files)
    subprocess.run(["debugfs", "-w", "-f", "-", f"{card}?offset={start * 512}"], input=cmds.encode(),
                   check=True, capture_output=True)
    r = subprocess.run(["debugfs", "-R", "ls -l /test-bundles", f"{card}?offset={start * 512}"],
                       capture_output=True, text=True)
    return r.stdout


# --- stages ----------------------------------------------------------------------------------
def boot_and_judge(pi, slot, what, wait_boot=True):
    """Waits for U-Boot to pick SLOT and for the shell, then (wait_boot) for the boot to finish: the
    serial shell is up in sysinit, long before /data, /boot/firmware and RAUC's D-Bus service are
    there. Returns False on a timeout."""
    try:
        m = pi.expect(r"branchcast: booting slot ([AB]), (\d) tries left", 300)
        check(f"{what}: U-Boot boots slot {slot}", m.group(1).decode() == slot, m.group(0).decode())
        pi.shell_ready(20 * 60)
        print(f"{stamp()}      {what}: serial shell up {mmss(time.monotonic() - pi.powered_on)} after power on", flush=True)
        state = ""
        if wait_boot:
            ok, state = pi.wait_for("systemctl is-system-running",
                                    lambda rc, o: o.strip() not in ("initializing", "starting"), 900, 5)
            print(f"{stamp()}      {what}: boot finished ({state.strip()}) {mmss(time.monotonic() - pi.powered_on)}"
                  " after power on", flush=True)
        if state.strip() in ("maintenance", "degraded"):  # emergency mode or failed units: say why
            rc, why = pi.run("systemctl --failed --no-pager; journalctl -b -p warning -o short-monotonic --no-pager | tail -n 40", 300)
            print(f"         system {state.strip()} at boot:\n" + "\n".join("         " + l for l in why.splitlines()), flush=True)
        rc, out = pi.run("cat /proc/cmdline")
        check(f"{what}: the kernel runs slot {slot} (rauc.slot={slot})", f"rauc.slot={slot}" in out, out)
        return m.group(1).decode() == slot
    except Timeout as e:
        check(f"{what}: boots slot {slot} to the serial shell", False, e)
        return False


def daemon_checks(pi, what, mark_timeout):
    ok, out = pi.wait_for("systemctl is-active branchcast.service", lambda rc, o: o.strip() == "active", 600)
    check(f"{what}: branchcast.service active", ok, out)
    ok, out = pi.wait_for(HEALTHZ, lambda rc, o: " 200 " in o, 600, every=5)
    check(f"{what}: /healthz 200", ok, out)
    return ok


def write_env(card, parts, work, env):
    """Replaces uboot.env on the card's boot partition with ENV (a dict), as mkenvimage makes it."""
    txt = os.path.join(work, "env.txt")
    with open(txt, "w") as f:
        f.write("".join(f"{k}={v}\n" for k, v in env.items()))
    subprocess.run(["mkenvimage", "-s", "0x4000", "-o", os.path.join(work, "uboot.env"), txt], check=True)
    subprocess.run(["mcopy", "-o", "-i", f"{card}@@{parts[1][0] * 512}", os.path.join(work, "uboot.env"),
                    "::/uboot.env"], check=True)


def scratch_card(work, card, parts, name):
    """A scratch card holding only CARD's partition table and boot partition, as they are now (all
    U-Boot and boot.scr read before choosing a slot and saving the environment): WORK/NAME.img."""
    scratch = os.path.join(work, name + ".img")
    with open(card, "rb") as src, open(scratch, "wb") as dst:
        left = (parts[1][0] + parts[1][1]) * 512
        while left > 0:
            block = src.read(min(left, 4 << 20))
            if not block:
                break
            dst.write(block)
            left -= len(block)
        dst.truncate(os.path.getsize(card))
    return scratch


def uboot_choice(work, scratch, parts, qemu_args, what, env=None):
    """U-Boot and boot.scr alone in QEMU on SCRATCH (scratch_card(); the board's card is never
    written), then SCRATCH deleted. env: a whole U-Boot environment to write first (a fresh card
    has none: U-Boot's built-in one). Returns (slot or None, env after, U-Boot's output). One at a
    time (its own sockets and log), beside the board's QEMU if need be."""
    if env:
        write_env(scratch, parts, work, env)
    log = os.path.join(work, "uboot-only.log")
    start = os.path.getsize(log) if os.path.exists(log) else 0
    # Its own folder for QEMU's sockets: the board's QEMU may be running, and its monitor socket
    # is how the test presses reset.
    sock_dir = os.path.join(work, "uboot-only")
    os.makedirs(sock_dir, exist_ok=True)
    pi = Pi(sock_dir, scratch, *qemu_args[1:4], log)
    slot = None
    try:
        m = pi.expect(r"branchcast: booting slot ([AB])", 300)
        slot = m.group(1).decode()
        pi.expect(r"Starting kernel|Saving Environment to FAT\.\.\. OK", 60)
        time.sleep(2)
    except Timeout as e:
        check(f"{what}: U-Boot picks a slot", False, e)
    finally:
        pi.stop()
    env = uboot_env(scratch, parts)
    with open(log, "rb") as f:
        f.seek(start)
        out = f.read().decode(errors="replace")
    os.unlink(scratch)
    return slot, env, out


def first_boot_checks(pi):
    """Stage 1 on the running first boot. False: stop here."""
    stage("first boot: shell up")
    # The shell comes up early (sysinit); make-partitions runs once udev has seen the card.
    ok, out = pi.wait_for("systemctl is-system-running", lambda rc, o: o.strip() not in ("initializing", "starting"), 900, 5)
    state = out.strip()
    stage(f"first boot: boot finished ({state}), {mmss(time.monotonic() - pi.powered_on)} after power on")
    rc, out = pi.run("cat /proc/partitions; findmnt -no FSTYPE,SOURCE /data")
    check("first boot: slot B (p3) and /data (p4, ext4) made and mounted",
          "mmcblk0p3" in out and "mmcblk0p4" in out and "ext4" in out, out)
    rc, failed_units = pi.run("systemctl --failed --plain --no-legend --no-pager")
    unexplained = [l for l in failed_units.splitlines()
                   if l.split() and l.split()[0] not in HARDWARE_FAILURES]
    for l in failed_units.splitlines():
        if l.split() and l.split()[0] in HARDWARE_FAILURES:
            print(f"         failed for want of hardware: {l.split()[0]}: {HARDWARE_FAILURES[l.split()[0]]}")
    check(f"first boot: no failed units but those missing hardware explains (system {state})",
          not unexplained, failed_units)
    check("first boot: boot finished without a network: system 'running', not 'degraded' or 'starting'",
          state == "running", state + "\n" + failed_units)
    if daemon_checks(pi, "first boot", 0):
        stage(f"first boot: /healthz 200, {mmss(time.monotonic() - pi.powered_on)} after power on")
    # Where the emulated boot's minutes go (for the record; not a check).
    rc, out = pi.run("systemd-analyze; systemd-analyze blame --no-pager | head -n 12", 300)
    print("         first boot, systemd-analyze:\n" + "\n".join("         " + l for l in out.splitlines()), flush=True)
    ok, out = pi.wait_for("fw_printenv BOOT_ORDER BOOT_A_LEFT; journalctl -b -u branchcast-mark-good -o cat --no-pager | tail -n 3",
                          lambda rc, o: "marked good" in o or "is broken" in o, SETTLE + 240, 5)
    check("first boot: slot A marked good after the settle time (BOOT_A_LEFT=3)", ok and "BOOT_A_LEFT=3" in out, out)
    rc, out = pi.run("ls -l --time-style=+%s /data/timesync/clock; date +%s")
    check("clock: timesyncd keeps its clock file on /data", rc == 0, out)
    rc, out = pi.run("journalctl -b -u branchcast-sync -o cat --no-pager | tail -n 5; systemctl is-failed branchcast-sync.service")
    check("no network: content sync not failed", out.strip().splitlines()[-1:] != ["failed"], out)
    return True


def card_checks_and_bundles(card, test_dir):
    """Stage 2 on the host, with /data unmounted on the board (or the board off): the card's
    partitions, then the test bundles into /data/test-bundles. False: stop here."""
    stage("the card after the first boot (/data unmounted on the board)")
    parts = partitions(card)
    check("card: 4 partitions (boot, A, B, data)", sorted(parts) == [1, 2, 3, 4], parts)
    if 4 not in parts:
        return False
    check("card: slot B the size of slot A", parts[3][1] == parts[2][1], parts)
    check("card: partition 4 is ext4 labelled data", ext4_label(card, parts[4][0]) == "data")
    env = uboot_env(card, parts)
    check("card: uboot.env BOOT_ORDER=A (slot B empty, not bootable yet)", env.get("BOOT_ORDER") == "A", env)
    bundles = [("broken.raucb", os.path.join(test_dir, "broken.raucb")),
               ("good.raucb", os.path.join(test_dir, "good.raucb"))]
    # build-image.sh makes the test image first and then the bundles, each renamed into place only
    # when complete: a test started as soon as the image was there waits for them here.
    waited = time.monotonic()
    while not all(os.path.exists(src) for _, src in bundles) and time.monotonic() - waited < 3600:
        if int(time.monotonic() - waited) % 300 < 10:
            print(f"{stamp()}      waiting for the test bundles in {test_dir} (build-image.sh step 6)", flush=True)
        time.sleep(10)
    listing = copy_into_data(card, parts[4][0], bundles)
    ok = all(re.search(rf"\s{os.path.getsize(src)}\s.*{re.escape(name)}", listing) for name, src in bundles)
    check("card: the test bundles written to /data/test-bundles at full size", ok, listing)
    stage("test bundles copied to /data/test-bundles")
    return ok


# Stops everything that uses /data (every unit that needs it has RequiresMountsFor=/data) and
# unmounts it, with the kernel's cached blocks of the partition dropped so that it rereads what
# the host writes.
UNMOUNT_DATA = ("sync; systemctl stop data.mount; if findmnt /data >/dev/null; then echo STILL-MOUNTED; "
                "else blockdev --flushbufs /dev/mmcblk0p4; echo 3 > /proc/sys/vm/drop_caches; echo UNMOUNTED; fi")


def print_install_log(pi, name):
    """RAUC's own log of the install just done, with times since boot: where its minutes went
    (hash indexes of the slots, blocks reused and written)."""
    rc, out = pi.run("journalctl -b -u rauc -o short-monotonic --no-pager | grep -vE 'D-Bus|rauc mark' | tail -n 30", 120)
    print(f"         rauc install {name}.raucb, RAUC's log:", flush=True)
    for line in out.splitlines():
        print("         " + line, flush=True)


def main():
    test_dir, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    img = os.path.join(test_dir, "branchcast-rpi-arm64-test.img")
    card = os.path.join(work, "card.img")
    log = os.path.join(work, "console.log")
    for old in (log, os.path.join(work, "uboot-only.log")):
        if os.path.exists(old):
            os.unlink(old)
    stage(f"preparing a 4 GiB SD card from {img} (serial console log: {log})")
    subprocess.run(["cp", "--sparse=always", img, card], check=True)
    os.truncate(card, 4 << 30)
    parts = partitions(card)
    off = parts[1][0] * 512
    for name in ("u-boot.bin", "bcm2837-rpi-3-b.dtb", "cmdline.txt"):
        subprocess.run(["mcopy", "-n", "-i", f"{card}@@{off}", f"::/{name}", os.path.join(work, name)], check=True)
    cmdline = open(os.path.join(work, "cmdline.txt")).read().strip()
    append = cmdline + " modprobe.blacklist=bcm2835_wdt,vchiq"
    qemu_args = (card, os.path.join(work, "u-boot.bin"), os.path.join(work, "bcm2837-rpi-3-b.dtb"), append, log)

    # 0. boot.scr alone: a slot out of tries is dropped from BOOT_ORDER ------------------------------
    # On two scratch copies of the fresh card, beside the first boot (its U-Boot and kernel leave a
    # core idle for most of it).
    stage("boot.scr alone (U-Boot only, on scratch cards; beside the first boot)")
    fresh = [scratch_card(work, card, parts, name) for name in ("scratch-fresh", "scratch-exhausted")]

    def boot_scr_alone():
        slot, env, _ = uboot_choice(work, fresh[0], parts, qemu_args, "boot.scr (defaults)")
        check("boot.scr: a fresh card boots A with BOOT_ORDER=A",
              slot == "A" and env.get("BOOT_ORDER") == "A" and env.get("BOOT_A_LEFT") == "2", env)
        env.update({"BOOT_ORDER": "B A", "BOOT_B_LEFT": "0", "BOOT_A_LEFT": "3"})
        slot, env, out = uboot_choice(work, fresh[1], parts, qemu_args, "boot.scr (exhausted B)", env)
        check("boot.scr: an exhausted slot B is skipped and dropped from BOOT_ORDER (A boots, BOOT_ORDER=A)",
              slot == "A" and "slot B has no tries left: dropped from BOOT_ORDER" in out and env.get("BOOT_ORDER") == "A", env)

    if os.environ.get("BOOT_TEST_ONLY_UBOOT") == "1":  # a quick check of boot.scr alone
        boot_scr_alone()
        return
    stage0 = Beside(boot_scr_alone)

    pi = Pi(work, *qemu_args)
    try:
        # 1. First boot: slot A, slot B and /data made, the daemon up, no network --------------------
        stage("first boot (slot A)")
        if not boot_and_judge(pi, "A", "first boot", wait_boot=False) or not first_boot_checks(pi):
            return
        stage0.join()
        # 2. The card on the host and the test bundles onto /data, the board running: its /data is
        # unmounted meanwhile (a power-off and another boot would cost 5 minutes under TCG).
        rc, out = pi.run(UNMOUNT_DATA, 300)
        if "UNMOUNTED" in out:
            if not card_checks_and_bundles(card, test_dir):
                return
            rc, out = pi.run("systemctl start data.mount && ls -l /data/test-bundles", 300)
            check("first boot: /data mounted again, the test bundles there",
                  rc == 0 and all(f" {os.path.getsize(os.path.join(test_dir, b))} " in out for b in ("good.raucb", "broken.raucb")), out)
        else:
            # Something kept /data busy: the slow way, powered off (not a failure of the image).
            print(f"{stamp()}      /data could not be unmounted on the board; powering off to write the bundles:\n{out}", flush=True)
            stage("first boot: powering off")
            pi.run("systemctl poweroff --no-block", 30)
            pi.expect(r"reboot: Power down|System halted", 300)
            pi.stop()
            if not card_checks_and_bundles(card, test_dir):
                return
            pi = Pi(work, *qemu_args)
            stage("second boot (slot A)")
            if not boot_and_judge(pi, "A", "second boot"):
                return

        # 3. A broken bundle, installed offline with the clock years behind ------------------------
        stage("install the broken bundle offline, clock 3 years back (first boot)")
        rc, out = pi.run("systemctl stop systemd-timesyncd; date -s '3 years ago' >/dev/null; date -u +%Y; "
                         "rauc install /data/test-bundles/broken.raucb; echo rc=$?", 30 * 60)
        year = re.search(r"^(\d{4})$", out, re.M)
        check("offline update with the clock 3 years behind: rauc install succeeds",
              "rc=0" in out and year is not None and int(year.group(1)) <= time.gmtime().tm_year - 2, out)
        rc, out = pi.run("fw_printenv BOOT_ORDER BOOT_B_LEFT")
        check("after install: BOOT_ORDER=B A", "BOOT_ORDER=B A" in out, out)
        print_install_log(pi, "broken")
        stage("reboot into the broken slot B")
        pi.run("systemctl reboot --no-block", 30)
        if boot_and_judge(pi, "B", "broken bundle", wait_boot=False):  # it never finishes: no waiting
            rc, out = pi.run("cat /etc/branchcast-test-bundle")
            check("slot B runs the broken bundle", out.strip() == "broken", out)
            # mark-slot-good marks B bad and reboots; follow its log until the reboot.
            try:
                pi.ser.sendall(b"journalctl -f -n 50 -o cat -u branchcast-mark-good\n")
                pi.expect(r"marking slot B bad and rebooting", 600)
                check("broken slot: marked bad at once after the daemon failed repeatedly", True)
            except Timeout as e:
                check("broken slot: marked bad at once after the daemon failed repeatedly", False, e)
        stage("rollback")
        if not boot_and_judge(pi, "A", "rollback"):
            return
        rc, out = pi.run("fw_printenv BOOT_ORDER BOOT_B_LEFT; rauc status")
        check("rollback: B marked bad (BOOT_B_LEFT=0) and out of BOOT_ORDER", "BOOT_B_LEFT=0" in out
              and re.search(r"BOOT_ORDER=A\s*$", out, re.M) is not None, out)

        # A is marked good once the daemon has been healthy for the settle time in the rollback boot.
        # Waited for before the next install: RAUC refuses marks while it installs, and under TCG an
        # install starves the daemon's /healthz, which starts the settle time again.
        ok, out = pi.wait_for("fw_printenv BOOT_A_LEFT; journalctl -b -u branchcast-mark-good -o cat --no-pager | tail -n 3",
                              lambda rc, o: "marked good" in o or "is broken" in o, SETTLE + 240, 5)
        check("rollback: A marked good again (BOOT_A_LEFT=3)", ok and "marked good" in out and "BOOT_A_LEFT=3" in out, out)

        # B must not be booted again: what U-Boot does on the next reset with the environment as the
        # rollback left it (the card's partition table and boot partition on a scratch card, while
        # the board runs on: a whole reboot into A would cost 5 minutes under TCG).
        # Copied now, run beside the good install (which writes slot B and, at its end, uboot.env).
        pi.run("sync", 120)
        left_parts = partitions(card)
        left = scratch_card(work, card, left_parts, "scratch-rollback")

        def b_not_booted_again():
            slot, env, uout = uboot_choice(work, left, left_parts, qemu_args, "after the rollback")
            check("after the rollback: the next reset boots A, not B (BOOT_ORDER=A, BOOT_B_LEFT=0)",
                  slot == "A" and "booting slot B" not in uout and env.get("BOOT_ORDER") == "A"
                  and env.get("BOOT_B_LEFT") == "0", f"{env}\n{uout[-2000:]}")

        # 4. A good bundle into B, from the rollback boot ------------------------------------------
        stage("install the good bundle into B (rollback boot); beside it, U-Boot alone on the card's "
              "boot partition as the rollback left it (B not booted again)")
        beside = Beside(b_not_booted_again)
        rc, out = pi.run("rauc install /data/test-bundles/good.raucb; echo rc=$?; fw_printenv BOOT_ORDER", 30 * 60)
        beside.join()
        check("good bundle installed into B (BOOT_ORDER=B A)", "rc=0" in out and "BOOT_ORDER=B A" in out, out)
        print_install_log(pi, "good")
        pi.run("systemctl reboot --no-block", 30)
        stage("boot the good bundle (slot B)")
        if boot_and_judge(pi, "B", "good bundle"):
            rc, out = pi.run("cat /etc/branchcast-test-bundle")
            check("slot B runs the good bundle", out.strip() == "good", out)
            if daemon_checks(pi, "good bundle", 0):
                stage(f"good bundle: /healthz 200, {mmss(time.monotonic() - pi.powered_on)} after the reset")
            ok, out = pi.wait_for("fw_printenv BOOT_ORDER BOOT_B_LEFT; journalctl -b -u branchcast-mark-good -o cat --no-pager | tail -n 3",
                                  lambda rc, o: "marked good" in o or "is broken" in o, SETTLE + 240, 5)
            check("good bundle: slot B marked good (BOOT_B_LEFT=3)", ok and "BOOT_B_LEFT=3" in out, out)
            stage("powering off")
            pi.run("systemctl poweroff --no-block", 30)
            pi.expect(r"reboot: Power down|System halted", 300)
    except Timeout as e:
        check("boot test finished", False, e)
    finally:
        pi.stop()
        threading.Thread.join(stage0, 600)  # its QEMU stops by itself (U-Boot checks end in minutes)
    env = uboot_env(card, partitions(card))
    check("card: uboot.env at the end: BOOT_ORDER=B A, BOOT_B_LEFT=3",
          env.get("BOOT_ORDER") == "B A" and env.get("BOOT_B_LEFT") == "3", env)


if __name__ == "__main__":
    try:
        main()
    finally:
        stage("end")
        print("stage times:")
        for (name, t), (_, t_next) in zip(STAGES, STAGES[1:]):
            print(f"  {mmss(t_next - t):>6}  {name}")
        print(f"{stamp()} == done: {passed} passed, {failed} failed (whole test {mmss(time.monotonic() - T0)})", flush=True)
    sys.exit(0 if failed == 0 else 1)
