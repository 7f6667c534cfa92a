// A private D-Bus "system" bus with python3-dbusmock's bluez5 template (extended by
// tests/ble/bluez_le_mock.py) for the BlueZ adapter tests. No radio, no fixed sleeps: waits iterate
// the default GMainContext until a condition holds or a generous limit passes.
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

#include <functional>
#include <string>

namespace branchcast::testing {

class BluezHarness {
 public:
  // Starts `dbus-daemon --session` and points DBUS_SYSTEM_BUS_ADDRESS at it.
  BluezHarness();
  ~BluezHarness();

  bool start_mock();  // true once org.bluez is on the bus
  void kill_mock();

  // Iterates the default main context until cond() or `limit_ms` passes; returns cond().
  static bool wait_until(const std::function<bool()>& cond, int limit_ms = 15'000);
  // Calls a method on the mock asynchronously while iterating the loop (the code under test keeps
  // answering the mock's own calls meanwhile). Returns the reply (caller unrefs) or nullptr.
  GVariant* call(const std::string& path, const std::string& iface, const std::string& method, GVariant* args,
                 std::string* error = nullptr);
  GVariant* mock(const std::string& method, GVariant* args) { return call("/", "org.bluez.Mock", method, args); }
  // Sends a mock method call without waiting for its reply (for use while other code runs the loop).
  void mock_async(const std::string& method, GVariant* args);

  const std::string& address() const { return address_; }

 private:
  pid_t daemon_ = -1;
  pid_t mock_ = -1;
  std::string address_;
  GDBusConnection* conn_ = nullptr;
};

}  // namespace branchcast::testing
