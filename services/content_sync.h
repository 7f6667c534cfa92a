// Content sync: a manifest of SHA-256 sums, a staging copy, verification, then an atomic swap.
// Sources: a local folder (a USB stick, an rsync target, a mounted share; here), an HTTP(S) bundle
// (services/http_content_source.h) and a Git remote (services/git_content_source.h), each a
// ContentSource; sync_content() is the engine they share.
//
// Layout under `dest_root` (the data partition): versions/<n>/ hold verified copies, and
// `current` is a symlink to the version in use; the synced branch folder's appliance.yaml is
// <dest_root>/current/appliance.yaml. A sync puts every file the manifest lists into
// versions/<n>.staging (a file whose SHA-256 equals one of the current version's is hard-linked
// from it instead of fetched), checks each SHA-256, fsyncs the files and folders, renames the
// staging folder to versions/<n>, then replaces `current` by renaming a new symlink over it
// (atomic: a power cut leaves the old or the new version, never a mix), and removes the versions
// older than the previous one (kept so a daemon still opening its files has until its reload).
// A file that fails verification refuses the whole sync (the current version keeps playing);
// leftovers of an interrupted sync (a staging folder, an unused version) are removed by the next.
// Disk guard: free space must cover the sizes known in advance plus `reserve_bytes`, and every
// fetch is capped at the free space left above the reserve at that moment (a download whose size
// is unknown in advance can never eat into the reserve). Syncs of one dest_root are serialised
// by a lock file (flock). Blocking: run on a worker or in `branchcast sync`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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

// Lower-case hex SHA-256 of a file's contents, and of bytes in memory.
Result<std::string> sha256_file(const std::string& path);
std::string sha256_hex(const void* data, size_t size);

// Where a sync gets its files from. Errors name the source (describe()), never a URL's userinfo
// or query. Called from one thread, in this order: fetch_manifest, then fetch_file per entry
// that could not be reused locally, then committed() after a successful swap or an unchanged sync.
class ContentSource {
 public:
  virtual ~ContentSource() = default;
  // scheme://host/path or a folder path: for messages.
  virtual std::string describe() const = 0;
  // The manifest's text, or nullopt when the source says nothing changed since the last
  // committed sync (HTTP 304).
  virtual Result<std::optional<std::string>> fetch_manifest() = 0;
  // The entry's size when known before fetching (for the up-front disk check).
  virtual std::optional<uint64_t> size_hint(const ManifestEntry& entry) const = 0;
  // Writes the entry's bytes to `to` (its folder exists); more than max_bytes is an error.
  virtual Status fetch_file(const ManifestEntry& entry, const std::string& to, uint64_t max_bytes) = 0;
  // The synced state is on disk: remember validators (ETag) etc. under state_dir (dest_root).
  virtual void committed(const std::string& /*state_dir*/) {}
};

struct SyncOptions {
  std::string manifest_name = "MANIFEST.sha256";
  uint64_t reserve_bytes = 200ull << 20;  // keep this much free after the copy
  // Checks a complete, verified staged version (its folder) before it may become current (issue
  // 13: nothing invalid becomes current). Errors refuse the sync: the staged folder is kept aside
  // as versions/<n>.refused for staff to look at (only the newest refused version is kept),
  // `current` stays, and the error lists the first problems. Unset: no check. `branchcast sync`
  // passes validate_content_version() (services/content_versions.h).
  std::function<std::vector<Error>(const std::string& version_dir)> validate;
};

struct SyncOutcome {
  bool changed = false;       // false: the manifest equals the current version's; nothing copied
  int files = 0;
  uint64_t bytes = 0;
  int reused = 0;             // files hard-linked from the previous version instead of fetched
  std::string version_dir;    // the folder `current` points at afterwards
};

// The engine: fetch, stage, verify, swap (see the top of this file).
Result<SyncOutcome> sync_content(ContentSource& source, const std::string& dest_root,
                                 const SyncOptions& options = {});

// A local folder holding MANIFEST.sha256 and the files it lists.
Result<SyncOutcome> sync_content_from_folder(const std::string& source_dir, const std::string& dest_root,
                                             const SyncOptions& options = {});

// The version number `current` points at under dest_root (0: none yet).
int current_version(const std::string& dest_root);

// The running daemon's hold on the content version it plays, so that no sync prunes it while in
// use (issue 13). A shared flock on <dest_root>/leases/<n>.lock, released when the object goes
// (or the process dies). A sync never removes a version whose lock file is held.
class ContentLease {
 public:
  // When `path` (appliance.yaml or content_root, through `current` or not) resolves to a file or
  // folder inside <dest_root>/versions/<n>/, leases version n. nullptr when the path is not
  // inside a synced version or the lock file cannot be created (a read-only disk: nothing can
  // prune then either).
  static std::unique_ptr<ContentLease> acquire(const std::string& path);
  ~ContentLease();
  ContentLease(const ContentLease&) = delete;
  ContentLease& operator=(const ContentLease&) = delete;
  int version() const { return version_; }
  const std::string& dest_root() const { return root_; }

 private:
  ContentLease(int fd, int version, std::string root) : fd_(fd), version_(version), root_(std::move(root)) {}
  int fd_;
  int version_;
  std::string root_;
};

// True while some process holds a ContentLease on version n under dest_root.
bool content_version_in_use(const std::string& dest_root, int version);

// When `path` resolves inside <dest_root>/versions/<n>/: dest_root, n and the path relative to
// the version folder. nullopt otherwise.
struct VersionedPath {
  std::string dest_root;
  int version = 0;
  std::string relative;
};
std::optional<VersionedPath> locate_in_version(const std::string& path);

}  // namespace branchcast
