// Content sync from a local folder (a USB stick, an rsync target, a mounted share): a manifest
// of SHA-256 sums, a staging copy, verification, then an atomic swap.
//
// Layout under `dest_root` (the data partition): versions/<n>/ hold verified copies, and
// `current` is a symlink to the version in use; content_root in appliance.yaml points at
// <dest_root>/current. A sync copies every file the manifest lists into versions/<n>.staging,
// checks each SHA-256, fsyncs the files and folders, renames the staging folder to versions/<n>,
// then replaces `current` by renaming a new symlink over it (atomic: a power cut leaves the old
// or the new version, never a mix), and removes older versions. A file that fails verification
// refuses the whole sync (the current version keeps playing). Before copying, free space must
// cover the files plus `reserve_bytes`. Blocking: run on a worker, post the result to the loop.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace branchcast {

struct ManifestEntry {
  std::string path;    // relative, '/'-separated, no "..", no leading '/'
  std::string sha256;  // 64 lower-case hex digits
};

// sha256sum format: "<64 hex>  <path>" (or "<hex> *<path>") per line; blank lines and '#'
// comments ignored. Errors name the 1-based line. Duplicate paths and unsafe paths are errors.
Result<std::vector<ManifestEntry>> parse_manifest(std::string_view text);

// Lower-case hex SHA-256 of a file's contents.
Result<std::string> sha256_file(const std::string& path);

struct SyncOptions {
  std::string manifest_name = "MANIFEST.sha256";
  uint64_t reserve_bytes = 200ull << 20;  // keep this much free after the copy
};

struct SyncOutcome {
  bool changed = false;       // false: the manifest equals the current version's; nothing copied
  int files = 0;
  uint64_t bytes = 0;
  std::string version_dir;    // the folder `current` points at afterwards
};

Result<SyncOutcome> sync_content_from_folder(const std::string& source_dir, const std::string& dest_root,
                                             const SyncOptions& options = {});

}  // namespace branchcast
