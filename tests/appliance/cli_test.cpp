#include "appliance/cli.h"

#include <gtest/gtest.h>

#include <sstream>
#include "tests/appliance/cli_harness.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

using Cli = test_support::Cli;

const std::vector<std::string> kCommands = {"run",    "validate", "simulate", "preview", "feeds",
                                            "recommend", "ble",   "presence", "notify",  "override",
                                            "doctor", "schema",   "patron-sim", "report", "schedule"};

TEST(Cli, HelpListsEveryCommandOfTheSpec) {
  Cli cli;
  EXPECT_EQ(cli.run({"--help"}), 0);
  for (const auto& c : kCommands) EXPECT_NE(cli.out.str().find("  " + c + " "), std::string::npos) << c;
}

TEST(Cli, EveryCommandHasHelp) {
  Cli cli;
  for (const auto& c : kCommands) {
    EXPECT_EQ(cli.run({c, "--help"}), 0) << c;
    EXPECT_EQ(cli.out.str().rfind("Usage: branchcast " + c, 0), 0u) << c << ": " << cli.out.str();
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  Cli cli;
  EXPECT_EQ(cli.run({}), 2);
  EXPECT_EQ(cli.run({"frobnicate"}), 2);
  EXPECT_NE(cli.err.str().find("unknown command 'frobnicate'"), std::string::npos);
  EXPECT_EQ(cli.run({"simulate", "--bogus"}), 2);
  EXPECT_NE(cli.err.str().find("unknown option --bogus"), std::string::npos);
  EXPECT_EQ(cli.run({"simulate", "--config"}), 2);
  EXPECT_EQ(cli.run({"simulate", "--config", "x.yaml"}), 2);  // --screen, --from, --to missing
  EXPECT_EQ(cli.run({"validate"}), 2);
}

TEST(Cli, InvalidInputExitsOne) {
  Cli cli;
  EXPECT_EQ(cli.run({"validate", "/nonexistent/appliance.yaml"}), 1);
  EXPECT_NE(cli.err.str().find("/nonexistent/appliance.yaml"), std::string::npos);
}

// validate --format: one list of diagnostics, three printers (formats.md section 3).
struct ValidateFixture {
  testing::TempDir t;
  std::string playlist;
  ValidateFixture() {
    playlist = t.write("p.yaml",
                       "default:\n  - text: hi\n    durration: 5s\nrules:\n  - name: Picks, 100% yours\n"
                       "    items: [{ text: y }]\n");
  }
};

const std::string kRuleEight =
    "rule 'Picks, 100% yours' has no 'when', so it is always active and, with the highest priority (0) of this "
    "playlist, 'default' never plays (give it a 'when', e.g. when: { open: true }, or a lower priority)";

TEST(Cli, ValidateFormatsTextJsonAndGithub) {
  ValidateFixture f;
  Cli cli;
  EXPECT_EQ(cli.run({"validate", f.playlist}), 1);
  EXPECT_EQ(cli.err.str(), f.playlist + ":3:5: error: unknown key 'durration' (did you mean 'duration'?)\n" +
                               f.playlist + ":5:5: warning: " + kRuleEight + "\n1 error, 1 warning\n");
  EXPECT_EQ(cli.out.str(), "");
  Cli json;
  EXPECT_EQ(json.run({"validate", "--format", "json", f.playlist}), 1);
  EXPECT_EQ(json.out.str().rfind("{\"valid\": false, \"errors\": 1, \"warnings\": 1, \"files\": [", 0), 0u) << json.out.str();
  EXPECT_NE(json.out.str().find("{\"file\": \"" + f.playlist +
                                "\", \"line\": 3, \"col\": 5, \"severity\": \"error\", \"message\": \"unknown key "
                                "'durration' (did you mean 'duration'?)\"}"),
            std::string::npos)
      << json.out.str();
  EXPECT_NE(json.out.str().find("\"line\": 5, \"col\": 5, \"severity\": \"warning\""), std::string::npos);
  Cli gh;
  EXPECT_EQ(gh.run({"validate", "--format=github", f.playlist}), 1);
  std::string escaped = kRuleEight;
  escaped.replace(escaped.find('%'), 1, "%25");
  EXPECT_EQ(gh.out.str(), "::error file=" + f.playlist +
                              ",line=3,col=5::unknown key 'durration' (did you mean 'duration'?)\n::warning file=" +
                              f.playlist + ",line=5,col=5::" + escaped + "\n");
  Cli bad;
  EXPECT_EQ(bad.run({"validate", "--format", "xml", f.playlist}), 2);
}

TEST(Cli, ValidateWarningsAloneDoNotFail) {
  testing::TempDir t;
  std::string p = t.write("p.yaml", "default:\n  - text: hi\nrules:\n  - name: Always\n    items: [{ text: x }]\n");
  Cli cli;
  EXPECT_EQ(cli.run({"validate", p}), 0);
  EXPECT_EQ(cli.out.str(), "ok: 1 file valid\n");
  EXPECT_NE(cli.err.str().find(":4:5: warning: rule 'Always'"), std::string::npos) << cli.err.str();
  EXPECT_NE(cli.err.str().find("1 warning\n"), std::string::npos);
  Cli json;
  EXPECT_EQ(json.run({"validate", "--format", "json", p}), 0);
  EXPECT_EQ(json.out.str().rfind("{\"valid\": true, \"errors\": 0, \"warnings\": 1", 0), 0u);
}

TEST(Cli, VersionPrints) {
  Cli cli;
  EXPECT_EQ(cli.run({"--version"}), 0);
  EXPECT_EQ(cli.out.str().rfind("branchcast ", 0), 0u);
}

}  // namespace
}  // namespace branchcast
