#include "tests/ble/bluez_harness.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace branchcast::testing {

BluezHarness::BluezHarness() {
  const gchar* argv[] = {"dbus-daemon", "--session", "--nofork", "--print-address", nullptr};
  gint out_fd = -1;
  GError* err = nullptr;
  if (!g_spawn_async_with_pipes(nullptr, const_cast<gchar**>(argv), nullptr,
                                static_cast<GSpawnFlags>(G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD), nullptr,
                                nullptr, &daemon_, nullptr, &out_fd, nullptr, &err)) {
    throw std::runtime_error(std::string("cannot start dbus-daemon: ") + err->message);
  }
  // The address is the first line the daemon prints.
  char c;
  while (read(out_fd, &c, 1) == 1 && c != '\n') address_ += c;
  close(out_fd);
  if (address_.empty()) throw std::runtime_error("dbus-daemon printed no address");
  setenv("DBUS_SYSTEM_BUS_ADDRESS", address_.c_str(), 1);
  conn_ = g_dbus_connection_new_for_address_sync(
      address_.c_str(),
      static_cast<GDBusConnectionFlags>(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
      nullptr, nullptr, &err);
  if (!conn_) throw std::runtime_error(std::string("cannot connect to the test bus: ") + err->message);
}

BluezHarness::~BluezHarness() {
  kill_mock();
  if (conn_) {
    g_dbus_connection_close_sync(conn_, nullptr, nullptr);
    g_object_unref(conn_);
  }
  if (daemon_ > 0) {
    kill(daemon_, SIGTERM);
    waitpid(daemon_, nullptr, 0);
  }
}

bool BluezHarness::wait_until(const std::function<bool()>& cond, int limit_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limit_ms);
  // A periodic wake-up so a blocking iteration returns to check the deadline.
  const guint tick = g_timeout_add(10, [](gpointer) -> gboolean { return G_SOURCE_CONTINUE; }, nullptr);
  bool ok = cond();
  while (!ok && std::chrono::steady_clock::now() < deadline) {
    g_main_context_iteration(nullptr, TRUE);
    ok = cond();
  }
  g_source_remove(tick);
  return ok;
}

bool BluezHarness::start_mock() {
  const std::string tmpl = std::string(BRANCHCAST_SOURCE_DIR) + "/tests/ble/bluez_le_mock.py";
  const gchar* argv[] = {"/usr/bin/python3", "-m", "dbusmock", "--system", "--template", tmpl.c_str(), nullptr};
  GError* err = nullptr;
  if (!g_spawn_async(nullptr, const_cast<gchar**>(argv), nullptr,
                     static_cast<GSpawnFlags>(G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL), nullptr, nullptr,
                     &mock_, &err)) {
    g_error_free(err);
    return false;
  }
  return wait_until([&] {
    GVariant* r = call("/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", g_variant_new("(s)", "org.bluez"));
    gboolean up = FALSE;
    if (r) {
      g_variant_get(r, "(b)", &up);
      g_variant_unref(r);
    }
    return up == TRUE;
  });
}

void BluezHarness::kill_mock() {
  if (mock_ <= 0) return;
  kill(mock_, SIGTERM);
  waitpid(mock_, nullptr, 0);
  mock_ = -1;
}

void BluezHarness::mock_async(const std::string& method, GVariant* args) {
  g_dbus_connection_call(conn_, "org.bluez", "/", "org.bluez.Mock", method.c_str(), args, nullptr,
                         G_DBUS_CALL_FLAGS_NONE, 20'000, nullptr, nullptr, nullptr);
}

GVariant* BluezHarness::call(const std::string& path, const std::string& iface, const std::string& method,
                             GVariant* args, std::string* error) {
  struct Reply {
    GVariant* value = nullptr;
    std::string error;
    bool done = false;
  } reply;
  const std::string dest = iface == "org.freedesktop.DBus" ? "org.freedesktop.DBus" : "org.bluez";
  g_dbus_connection_call(
      conn_, dest.c_str(), path.c_str(), iface.c_str(), method.c_str(), args, nullptr, G_DBUS_CALL_FLAGS_NONE, 20'000,
      nullptr,
      [](GObject* src, GAsyncResult* res, gpointer data) {
        auto* r = static_cast<Reply*>(data);
        GError* err = nullptr;
        r->value = g_dbus_connection_call_finish(G_DBUS_CONNECTION(src), res, &err);
        if (err) {
          r->error = err->message;
          g_error_free(err);
        }
        r->done = true;
      },
      &reply);
  wait_until([&] { return reply.done; }, 30'000);
  if (error) *error = reply.error;
  return reply.value;
}

}  // namespace branchcast::testing
