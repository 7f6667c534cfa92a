#include "appliance/cli.h"

#include <gtest/gtest.h>

#include <sstream>
#include "tests/appliance/cli_harness.h"

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

TEST(Cli, VersionPrints) {
  Cli cli;
  EXPECT_EQ(cli.run({"--version"}), 0);
  EXPECT_EQ(cli.out.str().rfind("branchcast ", 0), 0u);
}

}  // namespace
}  // namespace branchcast
