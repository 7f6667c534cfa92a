// Where the shared fixtures (real files from other projects, never copied into this repository)
// are: $BRANCHCAST_SHARED_DIR, else ../shared beside the repository (CI's layout), else
// ../../shared (a git worktree one level deeper, as in /work/wt/<branch>). Header-only, tests only.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a peer script of tests/feeds (`/usr/bin/python3 SCRIPT FROM TO FILE...`, one JSON object
// per line with a "file" member) and returns its answers by file; empty when it cannot start.
inline std::map<std::string, nlohmann::json> run_peer_script(const std::string& script, const std::string& from,
                                                             const std::string& to,
                                                             const std::vector<std::string>& files) {
  std::string cmd = "/usr/bin/python3 '" + source_dir() + "/tests/feeds/" + script + "' " + from + " " + to;
  for (const auto& f : files) cmd += " '" + f + "'";
  std::map<std::string, nlohmann::json> out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  std::string line;
  char buf[1 << 16];
  while (fgets(buf, sizeof buf, p)) {
    line += buf;
    if (line.empty() || line.back() != '\n') continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded()) out[j["file"].get<std::string>()] = j;
    line.clear();
  }
  pclose(p);
  return out;
}

}  // namespace branchcast::test
