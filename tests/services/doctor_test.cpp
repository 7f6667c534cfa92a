#include "services/doctor.h"

#include <gio/gio.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "services/doctor_probes.h"

namespace branchcast {
namespace {

TEST(DoctorVerdicts, FormatAndExitCode) {
  CheckResult ok{"disk", CheckLevel::kOk, "9.0 GiB free", "unused"};
  CheckResult warn{"clock", CheckLevel::kWarn, "not synchronised", "enable timesyncd"};
  CheckResult fail{"gstreamer", CheckLevel::kFail, "missing elements vp8dec", "apt-get install x"};
  EXPECT_EQ(format_check(ok), "ok   disk: 9.0 GiB free");
  EXPECT_EQ(format_check(warn), "warn clock: not synchronised; fix: enable timesyncd");
  EXPECT_EQ(format_check(fail), "fail gstreamer: missing elements vp8dec; fix: apt-get install x");
  EXPECT_EQ(doctor_exit_code({ok, warn}), 0);
  EXPECT_EQ(doctor_exit_code({ok, warn, fail}), 1);
}

TEST(DoctorVerdicts, DisplayInAChrootWarnsOnly) {
  DisplayFacts f{{"KMSDRM", "offscreen", "dummy"}, {}, true, {}, {}};
  EXPECT_EQ(check_display(f).level, CheckLevel::kWarn);
  f.drm_cards = {"/dev/dri/card0"};
  EXPECT_EQ(check_display(f).level, CheckLevel::kOk);
  EXPECT_EQ(check_display({{"x11", "offscreen"}, {"/dev/dri/card0"}, true, {}, {}}).level, CheckLevel::kFail);
  EXPECT_EQ(check_display({{"offscreen"}, {}, false, {}, {}}).level, CheckLevel::kOk);
}

// Issue 14: KMS works but no monitor is connected (TV off at boot): a warning that says so.
TEST(DoctorVerdicts, NoMonitorConnectedSaysNoDisplay) {
  DisplayFacts f{{"KMSDRM", "offscreen"}, {"/dev/dri/card0"}, true, {}, false};
  CheckResult r = check_display(f);
  EXPECT_EQ(r.level, CheckLevel::kWarn);
  EXPECT_NE(format_check(r).find("no display"), std::string::npos) << format_check(r);
  f.connected = true;
  EXPECT_EQ(check_display(f).level, CheckLevel::kOk);
}

TEST(DoctorVerdicts, KmsWithoutEglFailsNamingTheLibraries) {
  DisplayFacts f{{"KMSDRM", "offscreen"}, {"/dev/dri/card0"}, true, {"libEGL.so.1", "libGLESv2.so.2"}, {}};
  auto r = check_display(f);
  EXPECT_EQ(r.level, CheckLevel::kFail);
  EXPECT_NE(r.message.find("libEGL.so.1, libGLESv2.so.2"), std::string::npos) << r.message;
  EXPECT_NE(r.hint.find("libgl1-mesa-dri"), std::string::npos);
  f.needs_kms = false;  // offscreen and window screens do not need them
  EXPECT_EQ(check_display(f).level, CheckLevel::kOk);
}

TEST(DoctorVerdicts, GstreamerRequiredFailOptionalWarn) {
  EXPECT_EQ(check_gstreamer({true, "", {}}).level, CheckLevel::kOk);
  EXPECT_EQ(check_gstreamer({true, "", {"avdec_h264"}}).level, CheckLevel::kWarn);
  auto r = check_gstreamer({true, "", {"avdec_h264", "vp8dec"}});
  EXPECT_EQ(r.level, CheckLevel::kFail);
  EXPECT_EQ(r.message, "missing elements vp8dec");
  EXPECT_EQ(check_gstreamer({false, "no registry", {}}).level, CheckLevel::kFail);
}

TEST(DoctorVerdicts, BluetoothNeverFailsTheScreen) {
  EXPECT_EQ(check_bluetooth({}, true).level, CheckLevel::kWarn);
  EXPECT_EQ(check_bluetooth({true, true, 1, 0, ""}, true).level, CheckLevel::kWarn);
  EXPECT_EQ(check_bluetooth({true, true, 1, 1, ""}, true).level, CheckLevel::kOk);
}

TEST(DoctorVerdicts, DiskThresholds) {
  DiskFacts d{"/data", true, true, 50ull << 20, 8ull << 30};
  EXPECT_EQ(check_disk(d).level, CheckLevel::kFail);
  d.free_bytes = 300ull << 20;
  EXPECT_EQ(check_disk(d).level, CheckLevel::kWarn);
  d.free_bytes = 3ull << 30;
  EXPECT_EQ(check_disk(d).level, CheckLevel::kOk);
  d.writable = false;
  EXPECT_EQ(check_disk(d).level, CheckLevel::kFail);
}

TEST(DoctorVerdicts, ConfigErrorsArePositionsNotValues) {
  std::vector<Error> errors = {make_error("bad url 'https://x/?token=SECRET'", {"/etc/branchcast/appliance.yaml", 12, 8}),
                               make_error("other", {})};
  auto r = check_config("/etc/branchcast/appliance.yaml", errors, true);
  EXPECT_EQ(r.level, CheckLevel::kFail);
  EXPECT_EQ(format_check(r).find("SECRET"), std::string::npos);
  EXPECT_NE(r.message.find("2 error(s), first at /etc/branchcast/appliance.yaml:12:8"), std::string::npos);
  EXPECT_EQ(check_config("c.yaml", {}, false).level, CheckLevel::kFail);
}

TEST(DoctorVerdicts, NetworkNamesFeedAndHostOnly) {
  EXPECT_EQ(check_network({}, true).message, "skipped (--offline)");
  HostFacts h{"events", "calendar.example.org", true, false, "no HTTP answer"};
  auto r = check_network({h}, false);
  EXPECT_EQ(r.level, CheckLevel::kWarn);
  EXPECT_EQ(r.message, "events (calendar.example.org): no HTTP answer");
  EXPECT_EQ(url_host("https://user:pw@calendar.example.org:8443/x.ics?key=abc"), "calendar.example.org");
  EXPECT_EQ(url_host("http://[::1]:80/"), "::1");
  EXPECT_EQ(url_host("file:/x"), "");
}

TEST(DoctorProbes, DiskOfAFolderNotCreatedYetUsesItsParent) {
  auto tmp = std::filesystem::temp_directory_path();
  auto d = probe_disk((tmp / "bc-doctor-not-there" / "state").string());
  EXPECT_FALSE(d.exists);
  EXPECT_TRUE(d.writable);
  EXPECT_GT(d.total_bytes, 0u);
}

TEST(DoctorProbes, DisplayListsSdlDriversAndDrmCardsUnderRoot) {
  auto root = std::filesystem::temp_directory_path() / ("bc-dri-" + std::to_string(::getpid()));
  std::filesystem::create_directories(root / "dev/dri");
  std::ofstream(root / "dev/dri/card1");
  auto f = probe_display(root.string());
  EXPECT_FALSE(f.sdl_drivers.empty());
  ASSERT_EQ(f.drm_cards.size(), 1u);
  EXPECT_EQ(f.drm_cards[0], (root / "dev/dri/card1").string());
  std::filesystem::remove_all(root);
}

TEST(DoctorProbes, GstreamerRegistryLookups) {
  auto f = probe_gstreamer({"appsink", "no-such-element-xyz"});
  ASSERT_TRUE(f.initialised) << f.init_error;
  ASSERT_EQ(f.missing.size(), 1u);
  EXPECT_EQ(f.missing[0], "no-such-element-xyz");
}

// A private bus standing in for the system bus, with python-dbusmock's BlueZ template on it.
class PrivateSystemBus : public ::testing::Test {
 protected:
  void SetUp() override {
    GError* err = nullptr;
    daemon_ = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE, &err, "dbus-daemon", "--session", "--nofork",
                               "--print-address=1", nullptr);
    ASSERT_TRUE(daemon_) << err->message;
    GDataInputStream* out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(daemon_));
    gchar* line = g_data_input_stream_read_line(out, nullptr, nullptr, nullptr);
    g_object_unref(out);
    ASSERT_TRUE(line);
    address_ = line;
    g_free(line);
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", address_.c_str(), 1);
  }
  void TearDown() override {
    if (mock_) {
      g_subprocess_force_exit(mock_);
      g_subprocess_wait(mock_, nullptr, nullptr);
      g_object_unref(mock_);
    }
    g_subprocess_force_exit(daemon_);
    g_subprocess_wait(daemon_, nullptr, nullptr);
    g_object_unref(daemon_);
    ::unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
  }
  // Starts the BlueZ mock and waits (event-driven) until it owns org.bluez.
  GDBusConnection* start_bluez_mock() {
    GError* err = nullptr;
    mock_ = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &err, "/usr/bin/python3", "-m", "dbusmock",
                             "--system", "--template", "bluez5", nullptr);
    EXPECT_TRUE(mock_);
    GDBusConnection* bus = g_dbus_connection_new_for_address_sync(
        address_.c_str(), static_cast<GDBusConnectionFlags>(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
        nullptr, nullptr, &err);
    bool appeared = false;
    guint watch = g_bus_watch_name_on_connection(
        bus, "org.bluez", G_BUS_NAME_WATCHER_FLAGS_NONE,
        [](GDBusConnection*, const gchar*, const gchar*, gpointer p) { *static_cast<bool*>(p) = true; }, nullptr,
        &appeared, nullptr);
    while (!appeared) g_main_context_iteration(nullptr, TRUE);
    g_bus_unwatch_name(watch);
    return bus;
  }
  std::string address_;
  GSubprocess* daemon_ = nullptr;
  GSubprocess* mock_ = nullptr;
};

TEST_F(PrivateSystemBus, NoBluezThenOneAdapterPowered) {
  auto none = probe_bluetooth();
  EXPECT_TRUE(none.bus);
  EXPECT_FALSE(none.bluez);

  GDBusConnection* bus = start_bluez_mock();
  auto empty = probe_bluetooth();
  EXPECT_TRUE(empty.bluez);
  EXPECT_EQ(empty.adapters, 0);
  GVariant* r = g_dbus_connection_call_sync(bus, "org.bluez", "/org/bluez", "org.bluez.Mock", "AddAdapter",
                                            g_variant_new("(ss)", "hci0", "branchcast"), nullptr,
                                            G_DBUS_CALL_FLAGS_NONE, 10'000, nullptr, nullptr);
  ASSERT_TRUE(r);
  g_variant_unref(r);
  auto one = probe_bluetooth();
  EXPECT_EQ(one.adapters, 1);
  EXPECT_EQ(one.powered, 1);
  EXPECT_EQ(check_bluetooth(one, true).level, CheckLevel::kOk);
  g_object_unref(bus);
}

TEST(DoctorProbes, UnreachableSystemBus) {
  ::setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus", 1);
  auto f = probe_bluetooth();
  ::unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
  EXPECT_FALSE(f.bus);
  EXPECT_EQ(check_bluetooth(f, false).level, CheckLevel::kWarn);
}

}  // namespace
}  // namespace branchcast
