// GDBus adapter of the doctor's Bluetooth probe: org.bluez ObjectManager.GetManagedObjects.
#include <gio/gio.h>

#include "services/doctor_probes.h"

namespace branchcast {

BluetoothFacts probe_bluetooth() {
  BluetoothFacts f;
  GError* err = nullptr;
  // A private connection: honours DBUS_SYSTEM_BUS_ADDRESS, leaves no shared singleton behind.
  gchar* address = g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SYSTEM, nullptr, &err);
  GDBusConnection* bus = nullptr;
  if (address) {
    bus = g_dbus_connection_new_for_address_sync(
        address, static_cast<GDBusConnectionFlags>(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
        nullptr, nullptr, &err);
    g_free(address);
  }
  if (!bus) {
    f.error = err ? err->message : "no system bus";
    if (err) g_error_free(err);
    return f;
  }
  f.bus = true;
  GVariant* reply = g_dbus_connection_call_sync(
      bus, "org.bluez", "/", "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", nullptr,
      G_VARIANT_TYPE("(a{oa{sa{sv}}})"), G_DBUS_CALL_FLAGS_NONE, 3000, nullptr, &err);
  if (!reply) {
    f.error = err ? err->message : "no reply";
    if (err) g_error_free(err);
    g_object_unref(bus);
    return f;
  }
  f.bluez = true;
  GVariant* objects = g_variant_get_child_value(reply, 0);
  GVariantIter it;
  g_variant_iter_init(&it, objects);
  const gchar* path = nullptr;
  GVariant* interfaces = nullptr;
  while (g_variant_iter_next(&it, "{&o@a{sa{sv}}}", &path, &interfaces)) {
    GVariant* adapter = g_variant_lookup_value(interfaces, "org.bluez.Adapter1", G_VARIANT_TYPE("a{sv}"));
    if (adapter) {
      ++f.adapters;
      gboolean powered = FALSE;
      if (g_variant_lookup(adapter, "Powered", "b", &powered) && powered) ++f.powered;
      g_variant_unref(adapter);
    }
    g_variant_unref(interfaces);
  }
  g_variant_unref(objects);
  g_variant_unref(reply);
  g_object_unref(bus);
  return f;
}

}  // namespace branchcast
