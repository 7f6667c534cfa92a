// Golden files: tests/config/golden/NAME.yaml (or NAME/appliance.yaml) is validated from its own
// folder and the messages must equal NAME.expected exactly. Set BRANCHCAST_UPDATE_GOLDEN=1 to
// rewrite the .expected files (then review the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/loader.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Golden, ValidationMessagesMatchExactly) {
  fs::path dir = fs::path(BRANCHCAST_SOURCE_DIR) / "tests/config/golden";
  bool update = std::getenv("BRANCHCAST_UPDATE_GOLDEN") != nullptr;
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".expected") continue;
    ++cases;
    std::string name = entry.path().stem().string();
    fs::path folder = dir;
    std::string file = name + ".yaml";
    if (fs::is_directory(dir / name)) {
      folder = dir / name;
      file = "appliance.yaml";
    }
    std::string actual = testing::in_dir(folder.string(), [&] { return testing::join(validate_file(file)); });
    if (update) {
      std::ofstream(entry.path(), std::ios::binary) << actual;
      continue;
    }
    EXPECT_EQ(actual, read(entry.path())) << "golden case " << name;
    EXPECT_FALSE(actual.empty()) << "golden case " << name << " should have errors";
  }
  EXPECT_GE(cases, 10);
}

}  // namespace
}  // namespace branchcast
