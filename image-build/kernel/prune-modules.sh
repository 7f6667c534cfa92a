#!/bin/sh
# Removes the kernel modules a Raspberry Pi 3/4/400/Zero 2 W never loads from the image's root file
# system: keeps the modules listed in KEEP_LIST (see modules.keep) and everything they depend on
# (modules.dep), deletes the rest, then rebuilds the module index with the image's own depmod.
# Runs on the build host (the chroot's depmod through qemu-user). Prints what it kept.
# Usage: prune-modules.sh ROOTFS KEEP_LIST
set -eu
rootfs="$1"; keep_list="$2"
for dir in "$rootfs"/usr/lib/modules/*/; do
  kver="$(basename "$dir")"
  dep="$dir/modules.dep"
  [ -f "$dep" ] || { echo "prune-modules: no $dep" >&2; exit 1; }
  before="$(du -sm "$dir" | cut -f1)"
  # modules.dep lines: "kernel/a/b.ko: kernel/c.ko kernel/d.ko" (dependencies already transitive).
  # A module is kept when its path starts with a listed prefix (folder/) or equals a listed file.
  awk -v list="$keep_list" '
    BEGIN {
      while ((getline line < list) > 0) {
        sub(/#.*/, "", line); gsub(/[ \t]/, "", line)
        if (line != "") prefix["kernel/" line] = 1
      }
    }
    function wanted(path,   p) {
      for (p in prefix)
        if (path == p || (substr(p, length(p)) == "/" && index(path, p) == 1)) return 1
      return 0
    }
    {
      mod = $1; sub(/:$/, "", mod)
      if (!wanted(mod)) next
      keep[mod] = 1
      for (i = 2; i <= NF; i++) keep[$i] = 1
    }
    END { for (m in keep) print m }' "$dep" | sort > "$dir/.keep"
  [ -s "$dir/.keep" ] || { echo "prune-modules: nothing matched $keep_list" >&2; exit 1; }
  (cd "$dir" && find kernel -name '*.ko*' | sort | comm -23 - .keep | xargs -r rm -f)
  find "$dir/kernel" -type d -empty -delete
  rm -f "$dir/.keep"
  chroot "$rootfs" depmod -a "$kver"
  echo "prune-modules: $kver: kept $(find "$dir/kernel" -name '*.ko*' | wc -l) modules, ${before} MiB -> $(du -sm "$dir" | cut -f1) MiB"
done
