// `branchcast schema`: valid JSON, a valid draft-07 schema, and the formats.md examples and the
// demo branch validate against it (checked with python3-jsonschema, as editors would).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "config/loader.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return "popen failed";
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int status = pclose(p);
  if (status != 0) out += "[exit status " + std::to_string(status) + "]";
  return out;
}

TEST(Schema, IsJsonWithTheThreeDefinitions) {
  auto schema = nlohmann::json::parse(json_schema());
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  ASSERT_EQ(schema["oneOf"].size(), 3u);
  for (const char* d : {"appliance", "playlist", "patrons"}) EXPECT_TRUE(schema["definitions"].contains(d)) << d;
  // Every key the loader accepts at the top of an appliance file is described.
  for (const char* k : {"branch", "content_root", "screens", "feeds", "beacon", "presence", "notifications",
                        "telemetry", "health"})
    EXPECT_TRUE(schema["definitions"]["appliance"]["properties"].contains(k)) << k;
  // branch.language: the loader's tag shape (config/language.h), for editors.
  const auto& language = schema["definitions"]["appliance"]["properties"]["branch"]["properties"]["language"];
  ASSERT_TRUE(language.contains("pattern"));
  std::regex tag(language["pattern"].get<std::string>());
  for (const char* ok : {"en", "cy", "fr-CA", "es-419", "zh-Hant-TW"}) EXPECT_TRUE(std::regex_match(ok, tag)) << ok;
  for (const char* bad : {"French", "fr_FR", "e", "en--GB", ""}) EXPECT_FALSE(std::regex_match(bad, tag)) << bad;
}

TEST(Schema, SpecExamplesAndDemoValidateAndBadFilesDoNot) {
  TempDir t;
  std::string schema = t.write("schema.json", json_schema());
  std::vector<std::string> good;
  for (auto [name, heading] : {std::pair{"appliance.yaml", "## 1."}, {"playlist.yaml", "## 2."}, {"patrons.yaml", "## 5."}})
    good.push_back(t.write(name, testing::formats_yaml_block(heading)));
  std::string demo = std::string(BRANCHCAST_SOURCE_DIR) + "/examples/demo-branch/";
  for (const char* f : {"appliance.yaml", "playlists/entrance.yaml", "playlists/children.yaml"}) good.push_back(demo + f);
  std::string bad1 = t.write("bad1.yaml", "default:\n  - image: a.png\n    prority: 1\n");
  std::string bad2 = t.write("bad2.yaml", "branch: { id: Central, timezone: UTC }\n");
  std::string bad3 = t.write("bad3.yaml", "default:\n  - image: a.png\n    text: both\n");
  std::string command = "/usr/bin/python3 " + std::string(BRANCHCAST_SOURCE_DIR) + "/tests/config/check_schema.py " + schema;
  for (const auto& f : good) command += " " + f;
  command += " " + bad1 + " " + bad2 + " " + bad3 + " 2>&1";
  std::string out = run(command);
  for (const auto& f : good) EXPECT_THAT(out, HasSubstr("ok " + f + "\n"));
  EXPECT_THAT(out, HasSubstr("invalid " + bad1));
  EXPECT_THAT(out, HasSubstr("invalid " + bad2));
  EXPECT_THAT(out, HasSubstr("invalid " + bad3));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("[exit status")));
}

}  // namespace
}  // namespace branchcast
