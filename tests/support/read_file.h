// Test helper: a whole file as bytes ("" when it cannot be read; tests then fail on content).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace branchcast::testing_support {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace branchcast::testing_support
