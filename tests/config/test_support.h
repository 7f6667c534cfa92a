// Helpers for the config tests: a scratch folder and error formatting.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/result.h"

namespace branchcast::testing {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "branchcast-config-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

  // Writes `content` to `rel` (creating folders) and returns the absolute path.
  std::string write(const std::string& rel, const std::string& content) const {
    std::filesystem::path p = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

 private:
  std::string path_;
};

// The first ```yaml block after the line of docs/formats.md (the spec's copy in the repository)
// that starts with `heading` ("## 1."), or "" if there is none.
inline std::string formats_yaml_block(const std::string& heading) {
  std::ifstream in(std::string(BRANCHCAST_SOURCE_DIR) + "/docs/formats.md");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  size_t h = doc.find("\n" + heading);
  if (h == std::string::npos) return "";
  size_t start = doc.find("```yaml\n", h);
  if (start == std::string::npos) return "";
  size_t end = doc.find("\n```", start + 8);
  if (end == std::string::npos) return "";
  return doc.substr(start + 8, end - start - 7);
}

template <typename E>  // Error or Diagnostic
std::string join(const std::vector<E>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.to_string() + "\n";
  return out;
}

// Runs `f` with the current folder set to `dir` (messages then name files as given relative).
template <typename F>
auto in_dir(const std::string& dir, F f) {
  auto old = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  struct Restore {
    std::filesystem::path p;
    ~Restore() { std::filesystem::current_path(p); }
  } restore{old};
  return f();
}

}  // namespace branchcast::testing
