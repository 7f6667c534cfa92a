#include <gtest/gtest.h>

#include "config/yaml_reader.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

using testing::join;

std::string parse_errors(std::string_view text) {
  Diagnostics d("f.yaml");
  (void)parse_yaml_text(text, d);
  return join(d.take());
}

TEST(Prescan, AcceptsOrdinaryYamlWithQuotesCommentsAndBlockScalars) {
  Diagnostics d("f.yaml");
  std::string text =
      "a: \"[[[[ not nesting\"\n"
      "b: '{{{{'  # [[[[ comment\n"
      "c: |\n"
      "  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"
      "d: it's fine: really\n"
      "e: \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9a\"\n";
  EXPECT_TRUE(prescan_yaml(text, d)) << join(d.take());
}

TEST(Prescan, RejectsDeepFlowNestingBeforeParsing) {
  EXPECT_EQ(parse_errors("a: " + std::string(100000, '[')),
            "f.yaml:1:1: error: nesting is too deep (more than 64 levels)\n");
  EXPECT_NE(parse_errors("a: " + std::string(30, '{') + "\n").find("invalid YAML"), std::string::npos);
}

TEST(Prescan, RejectsDeepBlockNesting) {
  std::string dashes;
  for (int i = 0; i < 5000; ++i) dashes += "- ";
  EXPECT_EQ(parse_errors(dashes + "x\n"), "f.yaml:1:1: error: nesting is too deep (more than 64 levels)\n");
  std::string indented;
  for (int i = 0; i < 200; ++i) indented += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  EXPECT_NE(parse_errors(indented).find("nesting is too deep"), std::string::npos);
}

TEST(Prescan, BinaryAndEncodingErrorsHavePositions) {
  EXPECT_EQ(parse_errors(std::string("a: b\nc: d\0e", 11)),
            "f.yaml:2:5: error: NUL byte in file (this is not a YAML text file)\n");
  EXPECT_EQ(parse_errors("a: \xff\xfe\n"), "f.yaml:1:4: error: invalid UTF-8 (the file must be UTF-8 text)\n");
  EXPECT_EQ(parse_errors("a: \xc0\xaf\n"), "f.yaml:1:4: error: invalid UTF-8 (the file must be UTF-8 text)\n");
  EXPECT_EQ(parse_errors("a: \xed\xa0\x80\n"), "f.yaml:1:4: error: invalid UTF-8 (the file must be UTF-8 text)\n");
  EXPECT_EQ(parse_errors("x\n\x1b[31m"),
            "f.yaml:2:1: error: control character 0x1b in file (this is not a YAML text file)\n");
}

TEST(Prescan, TabsInIndentationAreReportedPerLine) {
  EXPECT_EQ(parse_errors("a:\n\tb: 1\n  c: 2\n \td: 3\n"),
            "f.yaml:2:1: error: tab character in indentation (YAML indents with spaces only)\n"
            "f.yaml:4:2: error: tab character in indentation (YAML indents with spaces only)\n");
  // Tabs inside values and comment lines are fine.
  EXPECT_EQ(parse_errors("a: \"x\ty\"\n\t# comment\n"), "");
}

TEST(Parse, MalformedYamlBecomesOneErrorWithPosition) {
  std::string e = parse_errors("a: [1, 2\nb: 3\n");
  EXPECT_EQ(e.substr(0, 7), "f.yaml:");
  EXPECT_NE(e.find("error: invalid YAML: "), std::string::npos);
  // yaml-cpp accepts an unterminated quote at the end of the file; the pre-scan does not.
  EXPECT_EQ(parse_errors("a: 1\nb: \"open\n"),
            "f.yaml:2:4: error: unterminated quoted string (this quote is never closed)\n");
  EXPECT_EQ(parse_errors("a: 'it''s\n  two lines'\nb: it's fine\n"), "");
}

TEST(Parse, InputsThatMakeYamlCppLoadAllLoopForEver) {
  // yaml-cpp 0.7 LoadAll never returns on these (upstream issues #1040, #1319); found by fuzz_config.
  for (const char* text : {"!,", ",", "- !+(.,.)", "a: 1\n,\n"}) {
    std::string e = parse_errors(text);
    EXPECT_EQ(e.substr(0, 7), "f.yaml:") << text << " -> " << e;
    EXPECT_NE(e.find("error: invalid YAML"), std::string::npos) << text << " -> " << e;
  }
}

TEST(Parse, EmptyAndMultiDocumentFiles) {
  EXPECT_EQ(parse_errors(""), "f.yaml:1:1: error: file is empty\n");
  EXPECT_EQ(parse_errors("# nothing\n"), "f.yaml:1:1: error: file is empty\n");
  EXPECT_EQ(parse_errors("a: 1\n---\nb: 2\n"),
            "f.yaml:2:1: error: only one YAML document per file (found a second one)\n");
}

TEST(Parse, SizeCapIsCheckedFirst) {
  std::string big(kMaxYamlFileBytes + 1, 'a');
  EXPECT_EQ(parse_errors(big), "f.yaml:1:1: error: file is too large (4194305 bytes; the limit is 4 MiB)\n");
}

TEST(Fields, UnknownKeysGetSuggestionsAndDuplicatesAreFound) {
  Diagnostics d("f.yaml");
  auto root = parse_yaml_text("name: x\nprority: 1\nPriority: 2\nzzz: 3\nname: y\n", d);
  ASSERT_TRUE(root);
  Reader r(d, false);
  Fields f(r, *root, {"name", "priority"}, "rule");
  EXPECT_TRUE(f.valid());
  EXPECT_EQ(f.unknown_keys(), 3u);
  EXPECT_EQ(f.get("name").Scalar(), "x");
  EXPECT_FALSE(f.has("priority"));
  EXPECT_EQ(join(d.take()),
            "f.yaml:2:1: error: unknown key 'prority' (did you mean 'priority'?)\n"
            "f.yaml:3:1: error: unknown key 'Priority' (did you mean 'priority'?)\n"
            "f.yaml:4:1: error: unknown key 'zzz'\n"
            "f.yaml:5:1: error: duplicate key 'name' (first given at line 1)\n");
}

TEST(Fields, RedactingReaderDoesNotShowSecretLookingKeys) {
  Diagnostics d("p.yaml");
  auto root = parse_yaml_text("7b0c1e5d9a3f42e1b6c8d0f2a4e6c8b0: 1\nkee: 2\n", d);
  ASSERT_TRUE(root);
  Reader r(d, true);
  Fields f(r, *root, {"key"}, "patron");
  EXPECT_EQ(join(d.take()),
            "p.yaml:1:1: error: unknown key\n"
            "p.yaml:2:1: error: unknown key 'kee' (did you mean 'key'?)\n");
}

TEST(Reader, TypedValuesReportWrongTypes) {
  Diagnostics d("f.yaml");
  auto root = parse_yaml_text("n: 12x\nb: maybe\nd: 10\nt: \"9:00\"\nl: {a: 1}\nok: -5\n", d);
  ASSERT_TRUE(root);
  Reader r(d, false);
  Fields f(r, *root, {"n", "b", "d", "t", "l", "ok"}, "test");
  EXPECT_FALSE(r.integer(f.get("n"), "n", 0, 10));
  EXPECT_FALSE(r.boolean(f.get("b"), "b"));
  EXPECT_FALSE(r.duration(f.get("d"), "d", Duration(1)));
  EXPECT_FALSE(r.time_of_day(f.get("t"), "t"));
  EXPECT_FALSE(r.text(f.get("l"), "l"));
  EXPECT_EQ(r.integer(f.get("ok"), "ok", -10, 0), -5);
  EXPECT_FALSE(r.integer(f.get("ok"), "ok", 0, 10));
  EXPECT_EQ(join(d.take()),
            "f.yaml:1:4: error: 'n' must be a whole number (got '12x')\n"
            "f.yaml:2:4: error: 'b' must be true or false\n"
            "f.yaml:3:4: error: 'd': invalid duration '10' (unit must be ms, s, m, h or d)\n"
            "f.yaml:4:4: error: 't': invalid time '9:00' (expected HH:MM, 24-hour)\n"
            "f.yaml:5:4: error: 'l' must be a text value, not a map\n"
            "f.yaml:6:5: error: 'ok' must be between 0 and 10\n");
}

TEST(Reader, VisitBudgetStopsAliasExpansion) {
  Diagnostics d("f.yaml");
  auto root = parse_yaml_text("a: &a [x, x]\n", d);
  ASSERT_TRUE(root);
  Reader r(d, false);
  size_t visited = 0;
  while (r.visit(*root)) ++visited;
  EXPECT_EQ(visited, kMaxYamlNodeVisits);
  EXPECT_TRUE(r.exhausted());
  EXPECT_NE(join(d.take()).find("document is too complex"), std::string::npos);
}

}  // namespace
}  // namespace branchcast
