// The ble, patron-sim and presence commands through the CLI, and the presence store round trip.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "appliance/cli.h"
#include "ble/eid.h"
#include "ble/presence_report.h"
#include "store/database.h"
#include "store/presence_repository.h"
#include "tests/appliance/cli_harness.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

using Cli = test_support::Cli;

TEST(BleCli, DecodePrintsTheFormatsJson) {
  Cli cli;
  ASSERT_EQ(cli.run({"ble", "decode", "0201060303aafe0e16aafe1000036d79702e6d653f41"}), 0) << cli.err.str();
  EXPECT_EQ(cli.out.str(),
            "{\"frames\":[{\"type\":\"flags\",\"flags\":6},{\"type\":\"eddystone-url\",\"tx_power\":0,\"url\":\"https://myp.me?A\"}]}\n");
}

TEST(BleCli, DecodeMalformedExitsOneWithTheByteOffset) {
  Cli cli;
  EXPECT_EQ(cli.run({"ble", "decode", "0201061aff4c00"}), 1);
  EXPECT_NE(cli.err.str().find("byte 3:"), std::string::npos) << cli.err.str();
  EXPECT_EQ(cli.run({"ble", "decode", "zz"}), 1);
  EXPECT_EQ(cli.run({"ble", "decode"}), 2);
  EXPECT_EQ(cli.run({"ble", "frobnicate"}), 2);
}

TEST(BleCli, ShowAddressesRefusesWhenStdoutIsNotATerminal) {
  if (isatty(STDOUT_FILENO)) GTEST_SKIP() << "stdout is a terminal here";
  Cli cli;
  EXPECT_EQ(cli.run({"ble", "scan", "--show-addresses", "--for", "1s"}), 2);
  EXPECT_NE(cli.err.str().find("never to a file"), std::string::npos);
}

TEST(BleCli, ScanWithoutASystemBusFailsClearly) {
  const char* old = getenv("DBUS_SYSTEM_BUS_ADDRESS");
  const std::string saved = old ? old : "";
  setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus", 1);
  Cli cli;
  EXPECT_EQ(cli.run({"ble", "scan", "--for", "1s"}), 1);
  EXPECT_NE(cli.err.str().find("system bus"), std::string::npos) << cli.err.str();
  if (old) setenv("DBUS_SYSTEM_BUS_ADDRESS", saved.c_str(), 1);
  else unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
}

TEST(BleCli, PatronSimPrintsTheAdvertOfTheSpecComputation) {
  Cli cli;
  ASSERT_EQ(cli.run({"patron-sim", "--key", "00112233445566778899aabbccddeeff", "--epoch", "0", "--rotation", "12",
                     "--at", "2018-02-08T09:09:06Z"}),
            0)
      << cli.err.str();
  // 2018-02-08T09:09:06Z = 1518080946: the published vector's counter, EID 7dd8169dae94258c.
  EXPECT_EQ(cli.out.str(),
            "0201060303aafe0d16aafe30ee7dd8169dae94258c\n"
            "{\"frames\":[{\"type\":\"flags\",\"flags\":6},{\"type\":\"eddystone-eid\",\"tx_power\":-18,\"eid\":\"7dd8169dae94258c\"}]}\n");
  EXPECT_EQ(cli.run({"patron-sim", "--key", "0011", "--epoch", "0", "--rotation", "12"}), 1);
  EXPECT_EQ(cli.run({"patron-sim", "--key", "00112233445566778899aabbccddeeff", "--epoch", "0", "--rotation", "16"}), 1);
  EXPECT_EQ(cli.run({"patron-sim", "--key", "00112233445566778899aabbccddeeff"}), 2);
}

TEST(PresenceStore, RowsRoundTripAndReportSuppressesSmallCounts) {
  const fs::path dir = fs::path(default_state_dir()) / "presence-store";
  fs::remove_all(dir);
  auto db = Database::open((dir / "branchcast.db").string());
  ASSERT_TRUE(db.ok());
  auto repo = PresenceRepository::open(**db);
  ASSERT_TRUE(repo.ok());
  const TimePoint t0{std::chrono::seconds(1'772'442'000)};  // 2026-03-02T09:00:00Z
  const auto q = std::chrono::minutes(15);
  ASSERT_TRUE(repo->record({t0, t0 + q, "entrance", 2, 4, 90}).ok());
  ASSERT_TRUE(repo->record({t0 + q, t0 + 2 * q, "entrance", 7, 9, 90}).ok());
  ASSERT_TRUE(repo->record({t0, t0 + q, "children", 3, 3, 90}).ok());
  ASSERT_TRUE(repo->record({t0 + q, t0 + 2 * q, "entrance", 8, 9, 90}).ok());  // replaces
  ASSERT_TRUE(repo->record({t0 + 4 * q, t0 + 5 * q, "entrance", 1, 1, 90}).ok());
  auto rows = repo->between(t0, t0 + 2 * q);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  const auto zone = TimeZone::load("Europe/London").value();
  EXPECT_EQ(ble::presence_csv(*rows, zone, 3),
            "start,end,screen,devices\n"
            "2026-03-02T09:00:00+00:00,2026-03-02T09:15:00+00:00,children,3\n"
            "2026-03-02T09:00:00+00:00,2026-03-02T09:15:00+00:00,entrance,<3\n"
            "2026-03-02T09:15:00+00:00,2026-03-02T09:30:00+00:00,entrance,8\n");
  const std::string table = ble::presence_table(*rows, zone, 3);
  EXPECT_NE(table.find("entrance       <3\n"), std::string::npos) << table;
}

TEST(PresenceCli, ReportReadsTheStateDirDatabase) {
  const fs::path dir = fs::path(default_state_dir());
  fs::create_directories(dir);
  const fs::path cfg = dir / "cfg";
  fs::create_directories(cfg / "playlists");
  std::ofstream(cfg / "appliance.yaml") << "branch: { id: central, name: Central, timezone: Europe/London }\n"
                                           "screens:\n  - id: entrance\n    playlist: playlists/p.yaml\n"
                                           "presence: { enabled: true, min_reported: 3 }\n";
  std::ofstream(cfg / "playlists/p.yaml") << "default:\n  - text: \"Welcome\"\n    duration: 10s\n";
  {
    auto db = Database::open((dir / "branchcast.db").string());
    ASSERT_TRUE(db.ok());
    auto repo = PresenceRepository::open(**db);
    ASSERT_TRUE(repo.ok());
    const TimePoint t0{std::chrono::seconds(1'772'442'000)};
    ASSERT_TRUE(repo->record({t0, t0 + std::chrono::minutes(15), "entrance", 5, 6, 90}).ok());
  }
  Cli cli;
  const int rc = cli.run({"presence", "report", "--config", (cfg / "appliance.yaml").string(), "--from",
                          "2026-03-02T09:00", "--to", "2026-03-02T10:00", "--csv"});
  if (rc != 0 && cli.err.str().find("not available yet") != std::string::npos) {
    GTEST_SKIP() << "config loader not merged yet";
  }
  ASSERT_EQ(rc, 0) << cli.err.str();
  EXPECT_EQ(cli.out.str(), "start,end,screen,devices\n2026-03-02T09:00:00+00:00,2026-03-02T09:15:00+00:00,entrance,5\n");
  EXPECT_EQ(cli.run({"presence", "report", "--config", (cfg / "appliance.yaml").string(), "--from", "2026-03-02T10:00",
                     "--to", "2026-03-02T09:00"}),
            1);
  EXPECT_EQ(cli.run({"presence", "summary"}), 2);
}

}  // namespace
}  // namespace branchcast
