#include "services/content_sync.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/safe_open.h"
#include "common/strings.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

bool safe_relative(const std::string& p) {
  if (p.empty() || p.front() == '/' || p.find('\\') != std::string::npos || p.find('\0') != std::string::npos) return false;
  for (const auto& part : split(p, '/'))
    if (part.empty() || part == "." || part == "..") return false;
  return true;
}

Status fsync_path(const fs::path& p, bool directory) {
  int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return make_error(p.string() + ": cannot open to sync: " + std::strerror(errno));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error(p.string() + ": fsync failed: " + std::strerror(errno));
  return {};
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "<source>/<path>" for messages, whether or not the source's name ends in '/'.
std::string source_path(const ContentSource& source, const std::string& path) {
  std::string d = source.describe();
  return d + (!d.empty() && d.back() == '/' ? "" : "/") + path;
}

// The number of "<n>" or "<n>.refused" (0 for other names).
int version_number(const std::string& name) {
  std::string digits = name.size() > 8 && name.substr(name.size() - 8) == ".refused" ? name.substr(0, name.size() - 8) : name;
  if (digits.empty() || digits.size() > 8 || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(digits);
}

int next_version(const fs::path& versions) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(versions, ec)) n = std::max(n, version_number(e.path().filename().string()));
  return n + 1;
}

}  // namespace

Result<std::vector<ManifestEntry>> parse_manifest(std::string_view text) {
  std::vector<ManifestEntry> out;
  std::set<std::string> seen;
  int n = 0;
  for (const auto& raw : split(text, '\n')) {
    ++n;
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto where = "manifest line " + std::to_string(n) + ": ";
    if (line.size() < 66 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
      return make_error(where + "expected '<sha256>  <path>'");
    std::string hash = to_lower(line.substr(0, 64));
    if (hash.find_first_not_of("0123456789abcdef") != std::string::npos) return make_error(where + "not a SHA-256");
    std::string path(line.substr(66));
    if (!safe_relative(path)) return make_error(where + "unsafe path '" + path + "'");
    if (!seen.insert(path).second) return make_error(where + "'" + path + "' listed twice");
    out.push_back({path, hash});
  }
  if (out.empty()) return make_error("manifest lists no files");
  return out;
}

std::string sha256_hex(const void* data, size_t size) {
  unsigned char md[32];
  unsigned int len = 0;
  EVP_Digest(data, size, md, &len, EVP_sha256(), nullptr);
  return to_hex(md, len);
}

Result<std::string> sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot read");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) EVP_DigestUpdate(ctx, buf, static_cast<size_t>(in.gcount()));
  unsigned char md[32];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  return to_hex(md, len);
}

namespace {

Result<uint64_t> free_bytes(const fs::path& dir) {
  struct statvfs st{};
  if (::statvfs(dir.c_str(), &st) != 0) return make_error(dir.string() + ": " + std::strerror(errno));
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

Error no_space(uint64_t needed, uint64_t free, uint64_t reserve) {
  return make_error("not enough free space for the content (" + std::to_string(needed) + " bytes needed, " +
                    std::to_string(free) + " free, " + std::to_string(reserve) + " reserved)");
}

// Holds an exclusive flock on <dest_root>/sync.lock while alive.
class SyncLock {
 public:
  explicit SyncLock(const fs::path& file) : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {}
  ~SyncLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  SyncLock(const SyncLock&) = delete;
  SyncLock& operator=(const SyncLock&) = delete;
  bool acquire() { return fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0; }

 private:
  int fd_;
};

// Hard-links `from` to `to` (or copies it across file systems) and checks its SHA-256.
bool reuse_local(const fs::path& from, const fs::path& to, const std::string& sha256) {
  std::error_code ec;
  if (::link(from.c_str(), to.c_str()) != 0 && !fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec))
    return false;
  auto sum = sha256_file(to.string());
  if (sum && *sum == sha256) return true;
  fs::remove(to, ec);  // the local copy rotted: fetch it again
  return false;
}

// Copies what `in` reads to a new file `to`, at most max_bytes.
Status copy_fd(int in, const std::string& to, uint64_t max_bytes) {
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (out < 0) return make_error(to + ": cannot create: " + std::strerror(errno));
  char buf[65536];
  uint64_t total = 0;
  for (;;) {
    ssize_t n = ::read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(out);
      return make_error(to + ": read failed: " + std::strerror(errno));
    }
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    if (total > max_bytes) {
      ::close(out);
      return no_space(total, max_bytes, 0);
    }
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(out, buf + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        std::string why = std::strerror(errno);
        ::close(out);
        return make_error(to + ": copy failed: " + why);
      }
      done += w;
    }
  }
  if (::close(out) != 0) return make_error(to + ": copy failed: " + std::strerror(errno));
  return {};
}

// A local folder holding the manifest and the files it lists.
class FolderSource final : public ContentSource {
 public:
  FolderSource(std::string dir, std::string manifest_name) : dir_(std::move(dir)), manifest_name_(std::move(manifest_name)) {}
  std::string describe() const override { return dir_.string(); }
  Result<std::optional<std::string>> fetch_manifest() override {
    std::error_code ec;
    auto st = fs::symlink_status(dir_ / manifest_name_, ec);
    if (fs::is_symlink(st)) return make_error((dir_ / manifest_name_).string() + ": a symbolic link; sync refused");
    if (!fs::is_regular_file(st)) return make_error((dir_ / manifest_name_).string() + ": missing");
    return std::optional<std::string>(read_file(dir_ / manifest_name_));
  }
  std::optional<uint64_t> size_hint(const ManifestEntry& e) const override {
    std::error_code ec;
    auto st = fs::symlink_status(dir_ / e.path, ec);
    if (ec || !fs::is_regular_file(st)) return std::nullopt;
    auto size = fs::file_size(dir_ / e.path, ec);
    if (ec) return std::nullopt;
    return size;
  }
  // Symbolic links (anywhere on the path) and special files are refused, as the Git source skips
  // them: a stick must not copy /etc/passwd, or block on a FIFO, into the content.
  Status fetch_file(const ManifestEntry& e, const std::string& to, uint64_t max_bytes) override {
    const std::string shown = (dir_ / e.path).string();
    auto fd = open_beneath(dir_.string(), e.path);
    if (!fd) {
      std::error_code ec;
      if (!fs::exists(fs::symlink_status(dir_ / e.path, ec))) return make_error(shown + ": listed in the manifest but missing");
      return make_error(shown + ": " + fd.error().message + "; sync refused");
    }
    struct stat st {};
    if (::fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(*fd);
      return make_error(shown + ": not a regular file (a device, FIFO or socket); sync refused");
    }
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
      ::close(*fd);
      return no_space(static_cast<uint64_t>(st.st_size), max_bytes, 0);
    }
    Status copied = copy_fd(*fd, to, max_bytes);
    ::close(*fd);
    return copied;
  }

 private:
  fs::path dir_;
  std::string manifest_name_;
};

// What an interrupted sync leaves: a staging folder, a link never renamed into place, a
// version renamed into place but never made current, versions older than the previous one
// that a killed clean-up did not reach. Only `current` and the newest version below it stay.
// A version a daemon still plays (ContentLease) is never removed.
void remove_version(const fs::path& root, const fs::path& dir, int number) {
  std::error_code ec;
  if (number > 0 && content_version_in_use(root.string(), number)) return;
  fs::remove_all(dir, ec);
  if (number > 0) fs::remove(root / "leases" / (std::to_string(number) + ".lock"), ec);
}

// What an interrupted sync leaves: a staging folder, a link never renamed into place, a
// version renamed into place but never made current, versions older than the previous one
// that a killed clean-up did not reach. Only `current`, the newest version below it, the newest
// refused version and versions a daemon holds a lease on stay.
void remove_leftovers(const fs::path& root, int current) {
  std::error_code ec;
  fs::remove(root / "current.new", ec);
  std::map<int, fs::path> numbered, refused;
  for (const auto& e : fs::directory_iterator(root / "versions", ec)) {
    const std::string name = e.path().filename().string();
    bool numeric = !name.empty() && name.size() < 9 && name.find_first_not_of("0123456789") == std::string::npos;
    if (numeric && std::stoi(name) <= current) numbered.emplace(std::stoi(name), e.path());
    else if (!numeric && version_number(name) > 0) refused.emplace(version_number(name), e.path());
    else remove_version(root, e.path(), numeric ? std::stoi(name) : 0);
  }
  while (numbered.size() > 2) {  // the oldest go first
    remove_version(root, numbered.begin()->second, numbered.begin()->first);
    numbered.erase(numbered.begin());
  }
  while (refused.size() > 1) {
    fs::remove_all(refused.begin()->second, ec);
    refused.erase(refused.begin());
  }
}

// "versions/<n>.staging" refused by the validator: kept aside as "versions/<n>.refused".
Error refuse_version(const fs::path& versions, const fs::path& staging, const std::string& version,
                     const std::vector<Error>& errors) {
  std::error_code ec;
  const fs::path kept = versions / (version + ".refused");
  fs::remove_all(kept, ec);
  fs::rename(staging, kept, ec);
  std::string where = ec ? std::string("removed") : "kept as " + kept.string();
  if (ec) fs::remove_all(staging, ec);
  std::string first;
  const size_t shown = std::min<size_t>(errors.size(), 3);
  for (size_t i = 0; i < shown; ++i) {
    std::string line = errors[i].to_string();
    // Paths inside the staged folder are shown relative to the version.
    for (size_t at; (at = line.find(staging.string() + "/")) != std::string::npos;)
      line.erase(at, staging.string().size() + 1);
    first += (i ? "; " : "") + line;
  }
  if (errors.size() > shown) first += "; and " + std::to_string(errors.size() - shown) + " more";
  return make_error("version " + version + " is invalid, not made current (" + where + "; `current` unchanged): " + first);
}

}  // namespace

int current_version(const std::string& dest_root) {
  std::error_code ec;
  std::string target = fs::read_symlink(fs::path(dest_root) / "current", ec).filename().string();
  if (ec || target.empty() || target.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(target);
}

Result<SyncOutcome> sync_content(ContentSource& source, const std::string& dest_root, const SyncOptions& options) {
  const fs::path root(dest_root), versions = root / "versions", current = root / "current";
  std::error_code ec;
  fs::create_directories(versions, ec);
  if (ec) return make_error(versions.string() + ": " + ec.message());
  SyncLock lock(root / "sync.lock");
  if (!lock.acquire()) return make_error(root.string() + ": another sync is running");

  const int previous = current_version(dest_root);
  remove_leftovers(root, previous);
  auto fetched = source.fetch_manifest();
  if (!fetched) return fetched.error();
  if (!*fetched) {  // not modified since the last committed sync
    if (previous == 0) return make_error(source.describe() + ": answered 'not modified' but no version is installed");
    source.committed(root.string());
    return SyncOutcome{false, 0, 0, 0, (versions / std::to_string(previous)).string()};
  }
  const std::string& manifest_text = **fetched;
  auto manifest = parse_manifest(manifest_text);
  if (!manifest) return make_error(source_path(source, options.manifest_name) + ": " + manifest.error().message);
  for (const auto& e : *manifest)
    if (e.path == options.manifest_name)
      return make_error(source_path(source, options.manifest_name) + ": the manifest lists itself");
  std::string current_text = previous ? read_file(current / options.manifest_name) : std::string();
  if (previous && current_text == manifest_text) {
    source.committed(root.string());
    return SyncOutcome{false, 0, 0, 0, (versions / std::to_string(previous)).string()};
  }

  std::map<std::string, std::string> local_by_sha;  // files of the current version, by SHA-256
  if (auto old = parse_manifest(current_text))
    for (const auto& e : *old) local_by_sha.emplace(e.sha256, e.path);
  uint64_t known = 0;
  for (const auto& e : *manifest)
    if (!local_by_sha.count(e.sha256)) known += source.size_hint(e).value_or(0);
  auto free_now = free_bytes(versions);
  if (!free_now) return free_now.error();
  if (*free_now < known + options.reserve_bytes) return no_space(known, *free_now, options.reserve_bytes);

  const std::string version = std::to_string(next_version(versions));
  const fs::path staging = versions / (version + ".staging"), final_dir = versions / version;
  fs::remove_all(staging, ec);
  auto fail = [&](Error e) -> Result<SyncOutcome> {
    fs::remove_all(staging, ec);
    return e;
  };
  SyncOutcome out{true, 0, 0, 0, final_dir.string()};
  for (const auto& e : *manifest) {
    fs::path to = staging / e.path;
    fs::create_directories(to.parent_path(), ec);
    auto local = local_by_sha.find(e.sha256);
    if (local != local_by_sha.end() && reuse_local(current / local->second, to, e.sha256)) {
      ++out.reused;
    } else {
      auto room = free_bytes(versions);
      if (!room) return fail(room.error());
      if (*room <= options.reserve_bytes) return fail(no_space(1, *room, options.reserve_bytes));
      if (auto s = source.fetch_file(e, to.string(), *room - options.reserve_bytes); !s) {
        fs::remove(to, ec);
        return fail(s.error());
      }
      auto sum = sha256_file(to.string());
      if (!sum) return fail(sum.error());
      if (*sum != e.sha256)
        return fail(make_error(source_path(source, e.path) + ": checksum mismatch; sync refused, current content kept"));
    }
    ++out.files;
    out.bytes += fs::file_size(to, ec);
    if (auto s = fsync_path(to, false); !s) return fail(s.error());
  }
  {
    std::ofstream m(staging / options.manifest_name, std::ios::binary | std::ios::trunc);
    m << manifest_text;
    if (!m.flush()) return fail(make_error((staging / options.manifest_name).string() + ": write failed"));
  }
  if (options.validate)
    if (auto errors = options.validate(staging.string()); !errors.empty())
      return refuse_version(versions, staging, version, errors);
  if (auto s = fsync_path(staging / options.manifest_name, false); !s) return fail(s.error());
  for (auto it = fs::recursive_directory_iterator(staging, ec); it != fs::recursive_directory_iterator(); ++it)
    if (it->is_directory())
      if (auto s = fsync_path(it->path(), true); !s) return fail(s.error());
  if (auto s = fsync_path(staging, true); !s) return fail(s.error());
  fs::rename(staging, final_dir, ec);
  if (ec) return fail(make_error(final_dir.string() + ": rename failed: " + ec.message()));
  if (auto s = fsync_path(versions, true); !s) return s.error();

  const fs::path link_tmp = root / "current.new";
  fs::remove(link_tmp, ec);
  fs::create_directory_symlink(fs::path("versions") / version, link_tmp, ec);
  if (ec) return make_error(link_tmp.string() + ": " + ec.message());
  if (::rename(link_tmp.c_str(), current.c_str()) != 0)
    return make_error(current.string() + ": swap failed: " + std::strerror(errno));
  if (auto s = fsync_path(root, true); !s) return s.error();
  const std::string keep = std::to_string(previous);
  for (const auto& e : fs::directory_iterator(versions, ec)) {
    const std::string name = e.path().filename().string();
    if (name != version && name != keep && name.find(".refused") == std::string::npos)
      remove_version(root, e.path(), name.find_first_not_of("0123456789") == std::string::npos ? version_number(name) : 0);
  }
  source.committed(root.string());
  return out;
}

std::optional<VersionedPath> locate_in_version(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) return std::nullopt;
  fs::path rel;
  for (fs::path at = p; at.has_parent_path() && at != at.parent_path(); at = at.parent_path()) {
    const std::string name = at.filename().string();
    if (at.parent_path().filename() == "versions" && !name.empty() && name.size() < 9 &&
        name.find_first_not_of("0123456789") == std::string::npos)
      return VersionedPath{at.parent_path().parent_path().string(), std::stoi(name), rel.string()};
    rel = rel.empty() ? at.filename() : at.filename() / rel;
  }
  return std::nullopt;
}

std::unique_ptr<ContentLease> ContentLease::acquire(const std::string& path) {
  auto at = locate_in_version(path);
  if (!at) return nullptr;
  std::error_code ec;
  const fs::path dir = fs::path(at->dest_root) / "leases";
  fs::create_directories(dir, ec);
  const fs::path file = dir / (std::to_string(at->version) + ".lock");
  int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  if (::flock(fd, LOCK_SH) != 0) {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<ContentLease>(new ContentLease(fd, at->version, at->dest_root));
}

ContentLease::~ContentLease() { ::close(fd_); }

bool content_version_in_use(const std::string& dest_root, int version) {
  const fs::path file = fs::path(dest_root) / "leases" / (std::to_string(version) + ".lock");
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return held;
}

Result<SyncOutcome> sync_content_from_folder(const std::string& source_dir, const std::string& dest_root,
                                             const SyncOptions& options) {
  FolderSource source(source_dir, options.manifest_name);
  return sync_content(source, dest_root, options);
}

}  // namespace branchcast
