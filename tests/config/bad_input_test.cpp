// Hostile and broken files: a clear error with file and line, never a crash or a hang.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/yaml_reader.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

using ::testing::HasSubstr;
using testing::join;
using testing::TempDir;

// Every error names the file, and (for content problems) a line.
template <typename E>
void expect_located(const std::vector<E>& errors, const std::string& file) {
  ASSERT_FALSE(errors.empty());
  for (const auto& e : errors) {
    if (e.message.find("too many errors") == 0) continue;
    EXPECT_EQ(e.where.file, file) << e.to_string();
    EXPECT_GT(e.where.line, 0) << e.to_string();
  }
}

TEST(BadInput, FiftyMegabyteFileIsRefusedBeforeReading) {
  TempDir t;
  std::string path = t.write("big.yaml", "a: b\n");
  std::filesystem::resize_file(path, 50u * 1024 * 1024);  // sparse: nothing is written
  auto errors = validate_file(path);
  EXPECT_EQ(join(errors), path + ":1:1: error: file is too large (52428800 bytes; the limit is 4 MiB)\n");
}

TEST(BadInput, BinaryGarbage) {
  TempDir t;
  std::string garbage;
  uint32_t x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1103515245 + 12345;
    garbage += static_cast<char>(x >> 24);
  }
  std::string path = t.write("garbage.yaml", garbage);
  auto errors = validate_file(path);
  expect_located(errors, path);
  EXPECT_EQ(errors.size(), 1u);
}

TEST(BadInput, NulBytesAndInvalidUtf8) {
  TempDir t;
  std::string nul = t.write("nul.yaml", std::string("branch:\n  id: a\0b\n", 17));
  EXPECT_EQ(join(validate_file(nul)), nul + ":2:8: error: NUL byte in file (this is not a YAML text file)\n");
  std::string latin1 = t.write("latin1.yaml", "branch:\n  name: Biblioth\xe8que\n");
  EXPECT_EQ(join(validate_file(latin1)), latin1 + ":2:17: error: invalid UTF-8 (the file must be UTF-8 text)\n");
  std::string utf16 = t.write("utf16.yaml", std::string("\xff\xfe" "b\0r\0", 6));
  expect_located(validate_file(utf16), utf16);
}

TEST(BadInput, TabsAreExplained) {
  TempDir t;
  std::string path = t.write("tabs.yaml", "branch:\n\tid: central\n\ttimezone: UTC\n");
  EXPECT_EQ(join(validate_file(path)),
            path + ":2:1: error: tab character in indentation (YAML indents with spaces only)\n" + path +
                ":3:1: error: tab character in indentation (YAML indents with spaces only)\n");
}

TEST(BadInput, MalformedYaml) {
  TempDir t;
  for (const char* text : {"branch: [\n", "branch:\n  id: \"x\n", "a: b\n c: d\n", "{a: 1, b\n", "- a\nb: c\n",
                           "branch: &x\n  id: *y\n", "? [a\n", "a: !!binary \"@@\"\n", "%YAML 9.9\n---\na: 1\n"}) {
    std::string path = t.write("bad.yaml", text);
    auto errors = validate_file(path);
    expect_located(errors, path);
  }
}

TEST(BadInput, DeepNestingIsCappedBeforeTheParserRecurses) {
  TempDir t;
  std::string dashes = "screens:\n";
  for (int i = 0; i < 100'000; ++i) dashes += "- ";
  std::string indents = "screens:\n";
  for (int i = 1; i < 2000; ++i) indents += std::string(static_cast<size_t>(i), ' ') + "- a:\n";
  for (const auto& [text, line] : {std::pair{std::string("screens: ") + std::string(1'000'000, '['), 1},
                                   std::pair{std::string("screens: ") + std::string(200'000, '{'), 1},
                                   std::pair{dashes + "x\n", 2}, std::pair{indents, 63}}) {
    std::string path = t.write("deep.yaml", text);
    EXPECT_EQ(join(validate_file(path)),
              path + ":" + std::to_string(line) + ":1: error: nesting is too deep (more than 64 levels)\n");
  }
}

TEST(BadInput, BillionLaughsEndsQuicklyWithAnError) {
  TempDir t;
  // Classic: ten levels of ten aliases each (10^10 nodes when expanded).
  std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += prev + (k < 9 ? ", " : "");
    text += "]\n";
  }
  std::string path = t.write("bomb.yaml", text + "default: *a9\nrules: [{name: r, items: *a9}]\n");
  auto errors = validate_file(path);
  expect_located(errors, path);
  EXPECT_LE(errors.size(), 101u);
}

TEST(BadInput, AliasBombShapedLikeAPlaylistHitsTheVisitBudget) {
  TempDir t;
  // 500 rules x 500 items x 500 tags from a 7 KB file: the loader itself would walk 10^8 nodes.
  auto many = [](const char* alias) {
    std::string s = "[";
    for (int k = 0; k < 500; ++k) s += std::string(k ? ", " : "") + alias;
    return s + "]";
  };
  std::string path = t.write("bomb.yaml", "t: &t " + many("lol") + "\ni: &i {events: {feed: e, tags: *t}}\n" +
                                              "l: &l " + many("*i") + "\nr: &r {name: same, items: *l}\n" +
                                              "default: *l\nrules: " + many("*r") + "\n");
  std::string all = join(validate_file(path));
  EXPECT_NE(all.find("error: document is too complex (more than 200000 nodes after expanding aliases)"),
            std::string::npos)
      << all;
}

// Issue 13, findings 3 and 4: a near-4 MiB playlist of 2 M nodes held ~1 GiB after parsing. The
// nodes are counted while streaming and the file refused before yaml-cpp builds its tree.
TEST(BadInput, TooManyNodesAreRefusedBeforeTheTreeIsBuilt) {
  TempDir t;
  std::string text = "default:\n";
  for (size_t i = 0; i < kMaxYamlNodes / 4; ++i) text += "  - text: t\n    duration: 5s\n";
  std::string path = t.write("big.yaml", text);
  auto errors = validate_file(path);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where.file, path);
  EXPECT_GT(errors[0].where.line, 1);
  EXPECT_NE(errors[0].message.find("too many YAML nodes: more than 30000"), std::string::npos) << errors[0].message;
}

TEST(BadInput, AliasesOfItemsAreAllowedButCounted) {
  TempDir t;
  std::string path = t.write("playlists/p.yaml",
                             "default: &d\n  - text: hello\n    duration: 5s\n"
                             "rules:\n  - name: again\n    items: *d\n");
  auto l = load_playlist(path, t.path());
  ASSERT_TRUE(l.ok()) << join(l.errors);
  EXPECT_EQ(l.settings->rules[0].items[0].text, "hello");
}

TEST(BadInput, TooManyErrorsAreCapped) {
  TempDir t;
  std::string text = "default:\n";
  for (int i = 0; i < 500; ++i) text += "  - text: x\n    bogus: 1\n";
  std::string path = t.write("p.yaml", text);
  auto errors = validate_file(path);
  ASSERT_EQ(errors.size(), 101u);
  EXPECT_EQ(errors.back().to_string(), path + ": error: too many errors; 400 more not shown");
}

TEST(BadInput, FilesThatAreNotThere) {
  TempDir t;
  EXPECT_EQ(join(validate_file(t / "nope.yaml")), t / "nope.yaml" + ": error: file does not exist\n");
  EXPECT_EQ(join(validate_file(t.path())), t.path() + ": error: not a regular file\n");
  std::string empty = t.write("empty.yaml", "");
  EXPECT_EQ(join(validate_file(empty)), empty + ":1:1: error: file is empty\n");
  std::string scalar = t.write("scalar.yaml", "just words\n");
  EXPECT_THAT(join(validate_file(scalar)), HasSubstr(":1:1: error: cannot tell what kind of file this is"));
}

TEST(BadInput, WrongTypesEverywhere) {
  TempDir t;
  std::string path = t.write("appliance.yaml",
                             "branch: central\nscreens: {id: a}\nfeeds: 3\nbeacon: [on]\npresence:\n  enabled: 2\n");
  EXPECT_EQ(join(validate_file(path)),
            path + ":1:9: error: 'branch' must be a map (key: value lines), not a text value\n" + path +
                ":2:10: error: 'screens' must be a list (lines starting with '- '), not a map\n" + path +
                ":3:8: error: 'feeds' must be a list (lines starting with '- '), not a text value\n" + path +
                ":4:9: error: 'beacon' must be a map (key: value lines), not a list\n" + path +
                ":6:12: error: 'enabled' must be true or false\n");
}

}  // namespace
}  // namespace branchcast
