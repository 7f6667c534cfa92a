// Where the shared fixtures (real files from other projects, never copied into this repository)
// are: $BRANCHCAST_SHARED_DIR, else ../shared beside the repository (CI's layout), else
// ../../shared (a git worktree one level deeper, as in /work/wt/<branch>). Header-only, tests only.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace branchcast::test {

inline std::string source_dir() {
  const char* env = std::getenv("BRANCHCAST_SOURCE_DIR");
  return env ? env : BRANCHCAST_SOURCE_DIR;
}

// The shared folder holding fixtures/, or ../shared (which then fails the caller's size check).
inline std::filesystem::path shared_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("BRANCHCAST_SHARED_DIR"); env && *env) return env;
  fs::path src = source_dir();
  for (const fs::path& p : {src / ".." / "shared", src / ".." / ".." / "shared"}) {
    std::error_code ec;
    if (fs::is_directory(p / "fixtures", ec)) return p;
  }
  return src / ".." / "shared";
}

}  // namespace branchcast::test
