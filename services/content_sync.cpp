#include "services/content_sync.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

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

int next_version(const fs::path& versions) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(versions, ec)) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") == std::string::npos && !name.empty()) n = std::max(n, std::stoi(name));
  }
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

Result<SyncOutcome> sync_content_from_folder(const std::string& source_dir, const std::string& dest_root,
                                             const SyncOptions& options) {
  const fs::path src(source_dir), root(dest_root), versions = root / "versions", current = root / "current";
  std::string manifest_text = read_file(src / options.manifest_name);
  auto manifest = parse_manifest(manifest_text);
  if (!manifest) return make_error((src / options.manifest_name).string() + ": " + manifest.error().message);
  std::error_code ec;
  if (fs::exists(current / options.manifest_name, ec) && read_file(current / options.manifest_name) == manifest_text)
    return SyncOutcome{false, 0, 0, fs::read_symlink(current, ec).string()};

  uint64_t needed = 0;
  for (const auto& e : *manifest) {
    auto size = fs::file_size(src / e.path, ec);
    if (ec) return make_error((src / e.path).string() + ": listed in the manifest but missing");
    needed += size;
  }
  fs::create_directories(versions, ec);
  struct statvfs st{};
  if (::statvfs(versions.c_str(), &st) != 0) return make_error(versions.string() + ": " + std::strerror(errno));
  uint64_t free_bytes = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  if (free_bytes < needed + options.reserve_bytes)
    return make_error("not enough free space for the content (" + std::to_string(needed) + " bytes needed, " +
                      std::to_string(free_bytes) + " free, " + std::to_string(options.reserve_bytes) + " reserved)");

  const std::string version = std::to_string(next_version(versions));
  const fs::path staging = versions / (version + ".staging"), final_dir = versions / version;
  fs::remove_all(staging, ec);
  auto fail = [&](Error e) -> Result<SyncOutcome> {
    fs::remove_all(staging, ec);
    return e;
  };
  SyncOutcome out{true, 0, needed, final_dir.string()};
  std::vector<ManifestEntry> all = *manifest;
  all.push_back({options.manifest_name, ""});
  for (const auto& e : all) {
    fs::path to = staging / e.path;
    fs::create_directories(to.parent_path(), ec);
    if (!fs::copy_file(src / e.path, to, fs::copy_options::overwrite_existing, ec))
      return fail(make_error(to.string() + ": copy failed: " + ec.message()));
    if (!e.sha256.empty()) {
      auto sum = sha256_file(to.string());
      if (!sum) return fail(sum.error());
      if (*sum != e.sha256) return fail(make_error(e.path + ": checksum mismatch; sync refused, current content kept"));
      ++out.files;
    }
    if (auto s = fsync_path(to, false); !s) return fail(s.error());
  }
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
  for (const auto& e : fs::directory_iterator(versions, ec))
    if (e.path().filename() != version) fs::remove_all(e.path(), ec);  // old versions and stale staging
  return out;
}

}  // namespace branchcast
