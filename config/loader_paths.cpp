#include "config/loader_paths.h"

#include <filesystem>

#include "common/strings.h"

namespace branchcast {
namespace fs = std::filesystem;
namespace {

bool is_under(const fs::path& p, const fs::path& root) {
  auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  // A trailing empty component ("dir/") in root matches anything.
  return r == root.end() || (std::next(r) == root.end() && r->empty());
}

}  // namespace

std::string display_join(std::string_view naming_file, std::string_view ref) {
  fs::path r{std::string(ref)};
  if (r.is_absolute()) return r.string();
  return (fs::path(std::string(naming_file)).parent_path() / r).string();
}

std::string absolute_path(std::string_view path) {
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(std::string(path)), ec);
  if (ec) p = fs::path(std::string(path));
  return p.lexically_normal().string();
}

std::string parent_dir(std::string_view abs_path) {
  return fs::path(std::string(abs_path)).parent_path().string();
}

Result<std::string> canonical_dir(const std::string& abs_path) {
  std::error_code ec;
  fs::path c = fs::canonical(abs_path, ec);
  if (ec || !fs::is_directory(c, ec)) return make_error("folder '" + abs_path + "' does not exist");
  return c.string();
}

Result<std::string> resolve_content(const std::string& base_dir, const std::string& ref,
                                    const std::string& content_root) {
  std::error_code ec;
  fs::path lexical = (fs::path(base_dir) / ref).lexically_normal();
  fs::path root(content_root);
  if (!fs::exists(lexical, ec)) {
    fs::path weak = fs::weakly_canonical(lexical, ec);
    if (!is_under(ec ? lexical : weak, root))
      return make_error("'" + ref + "' is outside content_root");
    return make_error("'" + ref + "' does not exist");
  }
  fs::path real = fs::canonical(lexical, ec);
  if (ec) return make_error("'" + ref + "' cannot be resolved: " + ec.message());
  if (!is_under(real, root)) {
    bool via_link = is_under(lexical, root);
    return make_error("'" + ref + "' is outside content_root" + (via_link ? " (through a symbolic link)" : ""));
  }
  if (!fs::is_regular_file(real, ec)) return make_error("'" + ref + "' is not a file");
  return real.string();
}

Result<std::string> resolve_referenced_file(const std::string& base_dir, const std::string& ref) {
  std::error_code ec;
  fs::path p = (fs::path(base_dir) / ref).lexically_normal();
  if (!fs::exists(p, ec)) return make_error("'" + ref + "' does not exist");
  if (!fs::is_regular_file(p, ec)) return make_error("'" + ref + "' is not a file");
  return p.string();
}

std::string file_url_path(std::string_view url) {
  if (!starts_with(url, "file:")) return "";
  url.remove_prefix(5);
  if (starts_with(url, "///")) url.remove_prefix(2);
  else if (starts_with(url, "//")) url.remove_prefix(2);  // file://localhost/... is not supported
  return std::string(url);
}

}  // namespace branchcast
