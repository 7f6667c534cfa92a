// BlueZ D-Bus adapter (see bluez_radio.h). The raw address never leaves this file except through
// the salted hash (or expose_addresses); nothing here logs an address, payload or key.
#include "ble/bluez_radio.h"

#include <gio/gio.h>

#include <map>
#include <set>
#include <unordered_map>

namespace branchcast::ble {
namespace {

constexpr const char* kBluez = "org.bluez";
constexpr const char* kAdapterIface = "org.bluez.Adapter1";
constexpr const char* kDeviceIface = "org.bluez.Device1";
constexpr const char* kAdvManagerIface = "org.bluez.LEAdvertisingManager1";
constexpr const char* kAdvIface = "org.bluez.LEAdvertisement1";
constexpr const char* kObjectManager = "org.freedesktop.DBus.ObjectManager";
constexpr const char* kProperties = "org.freedesktop.DBus.Properties";
constexpr const char* kAdvRoot = "/org/branchcast/advertisement";

constexpr const char* kAdvXml =
    "<node><interface name='org.bluez.LEAdvertisement1'>"
    "<method name='Release'/>"
    "<property name='Type' type='s' access='read'/>"
    "<property name='ManufacturerData' type='a{qv}' access='read'/>"
    "<property name='ServiceUUIDs' type='as' access='read'/>"
    "<property name='ServiceData' type='a{sv}' access='read'/>"
    "<property name='MinInterval' type='u' access='read'/>"
    "<property name='MaxInterval' type='u' access='read'/>"
    "</interface></node>";

std::string uuid16_string(uint16_t u) {
  char buf[48];
  g_snprintf(buf, sizeof buf, "0000%04x-0000-1000-8000-00805f9b34fb", u);
  return buf;
}

// "0000feaa-0000-1000-8000-00805f9b34fb" or "feaa" -> 0xFEAA; other UUIDs -> nullopt.
std::optional<uint16_t> uuid16_of(const std::string& s) {
  std::string hex4;
  if (s.size() == 4) hex4 = s;
  else if (s.size() == 36 && s.compare(8, 28, "-0000-1000-8000-00805f9b34fb") == 0 && s.compare(0, 4, "0000") == 0)
    hex4 = s.substr(4, 4);
  else return std::nullopt;
  char* end = nullptr;
  const unsigned long v = std::strtoul(hex4.c_str(), &end, 16);
  if (end != hex4.c_str() + 4) return std::nullopt;
  return static_cast<uint16_t>(v);
}

Bytes bytes_of(GVariant* v) {
  Bytes out;
  if (!v || !g_variant_is_of_type(v, G_VARIANT_TYPE_BYTESTRING)) return out;
  gsize n = 0;
  const auto* p = static_cast<const uint8_t*>(g_variant_get_fixed_array(v, &n, 1));
  if (n > kMaxAdvertBytes) return out;
  out.assign(p, p + n);
  return out;
}

GVariant* bytes_variant(const Bytes& b) {
  return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, b.data(), b.size(), 1);
}

// "/org/bluez/hci0/dev_AA_BB_CC_DD_EE_FF" -> "AA:BB:CC:DD:EE:FF"
std::string address_from_path(const std::string& path) {
  const auto pos = path.rfind("/dev_");
  if (pos == std::string::npos) return path;
  std::string a = path.substr(pos + 5);
  for (char& c : a) if (c == '_') c = ':';
  return a;
}

class BluezRadio final : public BleRadio {
 public:
  BluezRadio(GDBusConnection* conn, const Clock& clock, AddressHasher& hasher, Logger log, BluezOptions options)
      : conn_(conn), clock_(clock), hasher_(hasher), log_(std::move(log)), options_(std::move(options)),
        cancel_(g_cancellable_new()) {
    GError* err = nullptr;
    node_ = g_dbus_node_info_new_for_xml(kAdvXml, &err);
    g_assert_no_error(err);
    sub_added_ = g_dbus_connection_signal_subscribe(conn_, kBluez, kObjectManager, "InterfacesAdded", nullptr, nullptr,
                                                    G_DBUS_SIGNAL_FLAGS_NONE, on_signal, this, nullptr);
    sub_removed_ = g_dbus_connection_signal_subscribe(conn_, kBluez, kObjectManager, "InterfacesRemoved", nullptr,
                                                      nullptr, G_DBUS_SIGNAL_FLAGS_NONE, on_signal, this, nullptr);
    sub_props_ = g_dbus_connection_signal_subscribe(conn_, kBluez, kProperties, "PropertiesChanged", nullptr,
                                                    kDeviceIface, G_DBUS_SIGNAL_FLAGS_NONE, on_signal, this, nullptr);
    watch_ = g_bus_watch_name_on_connection(conn_, kBluez, G_BUS_NAME_WATCHER_FLAGS_NONE, on_appeared, on_vanished,
                                            this, nullptr);
  }

  ~BluezRadio() override {
    // bluetoothd also stops our discovery when this connection closes; say so explicitly first.
    if (!adapter_path_.empty() && discovering_) {
      g_dbus_connection_call(conn_, kBluez, adapter_path_.c_str(), kAdapterIface, "StopDiscovery", nullptr, nullptr,
                             G_DBUS_CALL_FLAGS_NONE, -1, nullptr, nullptr, nullptr);
    }
    g_cancellable_cancel(cancel_);
    g_bus_unwatch_name(watch_);
    g_dbus_connection_signal_unsubscribe(conn_, sub_added_);
    g_dbus_connection_signal_unsubscribe(conn_, sub_removed_);
    g_dbus_connection_signal_unsubscribe(conn_, sub_props_);
    for (auto& [frame, id] : exported_) g_dbus_connection_unregister_object(conn_, id);
    g_dbus_connection_flush_sync(conn_, nullptr, nullptr);
    g_object_unref(cancel_);
    g_dbus_node_info_unref(node_);
    g_object_unref(conn_);
  }

  void advertise(std::vector<BeaconAdvert> adverts) override {
    // Frames whose content changed are re-registered; frames that went away are withdrawn.
    std::set<size_t> changed;
    for (size_t i = 0; i < std::max(adverts.size(), adverts_.size()); ++i) {
      if (i >= adverts.size() || i >= adverts_.size() || !(adverts[i] == adverts_[i])) changed.insert(i);
    }
    for (size_t f : changed) unregister_frame(f);
    adverts_ = std::move(adverts);
    for (size_t i = adverts_.size(); exported_.count(i); ++i) {
      g_dbus_connection_unregister_object(conn_, exported_[i]);
      exported_.erase(i);
    }
    for (size_t i = 0; i < adverts_.size(); ++i) export_frame(i);
    sync_registrations();
  }

  void scan(int rssi_floor, SightingFn on_sighting) override {
    rssi_floor_ = rssi_floor;
    on_sighting_ = std::move(on_sighting);
    want_scan_ = true;
    if (!adapter_path_.empty()) start_discovery();
  }

  void stop_scan() override {
    want_scan_ = false;
    if (!adapter_path_.empty() && discovering_) call_adapter("StopDiscovery", nullptr, nullptr);
    discovering_ = false;
  }

  void tick(const Turn& turn) override {
    if (turn.now < next_rotation_) return;
    next_rotation_ = turn.now + options_.rotate_every;
    if (instances_ > 0 && adverts_.size() > static_cast<size_t>(instances_)) {
      ++step_;
      sync_registrations();
    }
  }

  void clock_stepped(Duration step, const Turn&) override { next_rotation_ = shift_deadline(next_rotation_, step); }

  TimePoint next_deadline(TimePoint) const override {
    if (instances_ > 0 && adverts_.size() > static_cast<size_t>(instances_)) return next_rotation_;
    return TimePoint::max();
  }

  RadioStatus status() const override {
    RadioStatus s;
    s.bluez = bluez_up_;
    s.adapter = !adapter_path_.empty();
    s.discovering = discovering_;
    s.instances = instances_;
    s.registered = static_cast<int>(registered_.size());
    s.bluez_restarts = restarts_;
    s.sightings = sightings_;
    return s;
  }

 private:
  struct DeviceCache {
    std::string address;
    std::optional<int> rssi;
    std::map<uint16_t, Bytes> manufacturer;
    std::map<uint16_t, Bytes> service;
  };

  // ---- bus and adapter lifecycle ------------------------------------------------------------
  static void on_appeared(GDBusConnection*, const gchar*, const gchar*, gpointer self) {
    auto* r = static_cast<BluezRadio*>(self);
    if (r->seen_bluez_) {
      ++r->restarts_;
      r->log_.info("bluetoothd is back: re-registering adverts and restarting discovery");
    }
    r->seen_bluez_ = true;
    r->bluez_up_ = true;
    r->find_adapter();
  }

  static void on_vanished(GDBusConnection*, const gchar*, gpointer self) {
    auto* r = static_cast<BluezRadio*>(self);
    if (r->bluez_up_) r->log_.warn("bluetoothd left the bus; waiting for it to return");
    r->bluez_up_ = false;
    r->adapter_lost();
  }

  void adapter_lost() {
    adapter_path_.clear();
    adapter_address_.clear();
    instances_ = 0;
    registered_.clear();
    discovering_ = false;
    devices_.clear();
  }

  void find_adapter() {
    g_dbus_connection_call(conn_, kBluez, "/", kObjectManager, "GetManagedObjects", nullptr,
                           G_VARIANT_TYPE("(a{oa{sa{sv}}})"), G_DBUS_CALL_FLAGS_NONE, -1, cancel_,
                           on_managed_objects, this);
  }

  static void on_managed_objects(GObject* src, GAsyncResult* res, gpointer self) {
    GError* err = nullptr;
    GVariant* reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(src), res, &err);
    if (!reply) {
      if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        static_cast<BluezRadio*>(self)->log_.warn(std::string("GetManagedObjects failed: ") + err->message);
      g_error_free(err);
      return;
    }
    auto* r = static_cast<BluezRadio*>(self);
    GVariant* objects = g_variant_get_child_value(reply, 0);
    GVariantIter it;
    g_variant_iter_init(&it, objects);
    const gchar* path;
    GVariant* ifaces;
    while (g_variant_iter_next(&it, "{&o@a{sa{sv}}}", &path, &ifaces)) {
      r->interfaces_added(path, ifaces, /*from_signal=*/false);
      g_variant_unref(ifaces);
    }
    g_variant_unref(objects);
    g_variant_unref(reply);
  }

  bool wanted_adapter(const std::string& path) const {
    if (!options_.adapter.empty()) return path == "/org/bluez/" + options_.adapter;
    return true;
  }

  void interfaces_added(const std::string& path, GVariant* ifaces, bool from_signal) {
    GVariantIter it;
    g_variant_iter_init(&it, ifaces);
    const gchar* iface;
    GVariant* props;
    while (g_variant_iter_next(&it, "{&s@a{sv}}", &iface, &props)) {
      const std::string name = iface;
      if (name == kAdapterIface && adapter_path_.empty() && wanted_adapter(path)) {
        adapter_path_ = path;
        if (GVariant* a = g_variant_lookup_value(props, "Address", G_VARIANT_TYPE_STRING)) {
          adapter_address_ = g_variant_get_string(a, nullptr);
          g_variant_unref(a);
        }
        log_.info("using Bluetooth adapter " + path);
        if (want_scan_) start_discovery();
      } else if (name == kAdvManagerIface && path == adapter_path_) {
        if (GVariant* n = g_variant_lookup_value(props, "SupportedInstances", G_VARIANT_TYPE_BYTE)) {
          instances_ = g_variant_get_byte(n);
          g_variant_unref(n);
        }
        sync_registrations();
      } else if (name == kDeviceIface) {
        // Devices BlueZ already knew (GetManagedObjects) fill the cache but are not fresh sightings.
        device_changed(path, props, from_signal);
      }
      g_variant_unref(props);
    }
    // The adapter and its advertising manager may arrive together (GetManagedObjects): the manager
    // is handled above only if the adapter came first in the dict, so look again.
    if (path == adapter_path_ && instances_ == 0) {
      if (GVariant* mgr = g_variant_lookup_value(ifaces, kAdvManagerIface, G_VARIANT_TYPE_VARDICT)) {
        if (GVariant* n = g_variant_lookup_value(mgr, "SupportedInstances", G_VARIANT_TYPE_BYTE)) {
          instances_ = g_variant_get_byte(n);
          g_variant_unref(n);
        }
        g_variant_unref(mgr);
        sync_registrations();
      }
    }
  }

  static void on_signal(GDBusConnection*, const gchar*, const gchar* path, const gchar*, const gchar* member,
                        GVariant* params, gpointer self) {
    auto* r = static_cast<BluezRadio*>(self);
    const std::string m = member;
    if (m == "InterfacesAdded" && g_variant_is_of_type(params, G_VARIANT_TYPE("(oa{sa{sv}})"))) {
      const gchar* obj;
      GVariant* ifaces;
      g_variant_get(params, "(&o@a{sa{sv}})", &obj, &ifaces);
      r->interfaces_added(obj, ifaces, true);
      g_variant_unref(ifaces);
    } else if (m == "InterfacesRemoved" && g_variant_is_of_type(params, G_VARIANT_TYPE("(oas)"))) {
      const gchar* obj;
      GVariant* names;
      g_variant_get(params, "(&o@as)", &obj, &names);
      r->interfaces_removed(obj, names);
      g_variant_unref(names);
    } else if (m == "PropertiesChanged" && g_variant_is_of_type(params, G_VARIANT_TYPE("(sa{sv}as)"))) {
      GVariant* changed = g_variant_get_child_value(params, 1);
      r->device_changed(path, changed);
      g_variant_unref(changed);
    }
  }

  void interfaces_removed(const std::string& path, GVariant* names) {
    GVariantIter it;
    g_variant_iter_init(&it, names);
    const gchar* iface;
    while (g_variant_iter_next(&it, "&s", &iface)) {
      if (path == adapter_path_ && std::string(iface) == kAdapterIface) {
        log_.warn("Bluetooth adapter " + path + " went away");
        adapter_lost();
        find_adapter();  // another one may be there
      } else if (std::string(iface) == kDeviceIface) {
        devices_.erase(path);
      }
    }
  }

  // ---- scanning -----------------------------------------------------------------------------
  void call_adapter(const char* method, GVariant* args, GAsyncReadyCallback done) {
    g_dbus_connection_call(conn_, kBluez, adapter_path_.c_str(), kAdapterIface, method, args, nullptr,
                           G_DBUS_CALL_FLAGS_NONE, -1, cancel_, done, this);
  }

  void start_discovery() {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&b, "{sv}", "Transport", g_variant_new_string("le"));
    g_variant_builder_add(&b, "{sv}", "DuplicateData", g_variant_new_boolean(TRUE));
    g_variant_builder_add(&b, "{sv}", "RSSI", g_variant_new_int16(static_cast<gint16>(rssi_floor_)));
    call_adapter("SetDiscoveryFilter", g_variant_new("(@a{sv})", g_variant_builder_end(&b)), on_filter_set);
  }

  static bool finish(GObject* src, GAsyncResult* res, gpointer self, const char* what) {
    GError* err = nullptr;
    GVariant* reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(src), res, &err);
    if (reply) {
      g_variant_unref(reply);
      return true;
    }
    if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      static_cast<BluezRadio*>(self)->log_.warn(std::string(what) + " failed: " + err->message);
    g_error_free(err);
    return false;
  }

  static void on_filter_set(GObject* src, GAsyncResult* res, gpointer self) {
    if (!finish(src, res, self, "SetDiscoveryFilter")) return;
    auto* r = static_cast<BluezRadio*>(self);
    if (r->want_scan_ && !r->adapter_path_.empty()) r->call_adapter("StartDiscovery", nullptr, on_discovery_started);
  }

  static void on_discovery_started(GObject* src, GAsyncResult* res, gpointer self) {
    if (!finish(src, res, self, "StartDiscovery")) return;
    static_cast<BluezRadio*>(self)->discovering_ = true;
  }

  void device_changed(const std::string& path, GVariant* props, bool report = true) {
    if (adapter_path_.empty() || path.rfind(adapter_path_ + "/", 0) != 0) return;
    if (devices_.size() >= options_.max_cached_devices && !devices_.count(path)) devices_.clear();
    DeviceCache& d = devices_[path];
    bool fresh = false;
    if (GVariant* a = g_variant_lookup_value(props, "Address", G_VARIANT_TYPE_STRING)) {
      d.address = g_variant_get_string(a, nullptr);
      g_variant_unref(a);
    }
    if (d.address.empty()) d.address = address_from_path(path);
    if (GVariant* v = g_variant_lookup_value(props, "RSSI", G_VARIANT_TYPE_INT16)) {
      d.rssi = g_variant_get_int16(v);
      fresh = true;
      g_variant_unref(v);
    }
    if (GVariant* v = g_variant_lookup_value(props, "ManufacturerData", G_VARIANT_TYPE("a{qv}"))) {
      d.manufacturer.clear();
      GVariantIter it;
      g_variant_iter_init(&it, v);
      guint16 company;
      GVariant* data;
      while (g_variant_iter_next(&it, "{qv}", &company, &data)) {
        d.manufacturer[company] = bytes_of(data);
        g_variant_unref(data);
      }
      fresh = true;
      g_variant_unref(v);
    }
    if (GVariant* v = g_variant_lookup_value(props, "ServiceData", G_VARIANT_TYPE("a{sv}"))) {
      d.service.clear();
      GVariantIter it;
      g_variant_iter_init(&it, v);
      const gchar* uuid;
      GVariant* data;
      while (g_variant_iter_next(&it, "{&sv}", &uuid, &data)) {
        if (auto u = uuid16_of(uuid)) d.service[*u] = bytes_of(data);
        g_variant_unref(data);
      }
      fresh = true;
      g_variant_unref(v);
    }
    if (!report || !fresh || !d.rssi || !want_scan_ || !on_sighting_) return;
    if (*d.rssi < rssi_floor_ || g_ascii_strcasecmp(d.address.c_str(), adapter_address_.c_str()) == 0) return;
    std::vector<AdStructure> ads;
    for (const auto& [company, data] : d.manufacturer) ads.push_back(encode_manufacturer(company, data));
    for (const auto& [uuid, data] : d.service) ads.push_back(encode_service_data16(uuid, data));
    auto payload = encode_ad(ads);
    RadioSighting s;
    s.at = clock_.now();
    s.device = hasher_.hash(d.address, s.at);
    s.rssi = *d.rssi;
    if (payload) s.payload = std::move(payload.value());
    if (options_.expose_addresses) s.address = d.address;
    ++sightings_;
    on_sighting_(s);
  }

  // ---- advertising --------------------------------------------------------------------------
  std::string frame_path(size_t frame) const { return std::string(kAdvRoot) + std::to_string(frame); }

  void export_frame(size_t frame) {
    if (exported_.count(frame)) return;
    static const GDBusInterfaceVTable vtable = {on_adv_method, on_adv_property, nullptr, {}};
    GError* err = nullptr;
    const guint id = g_dbus_connection_register_object(conn_, frame_path(frame).c_str(), node_->interfaces[0],
                                                       &vtable, this, nullptr, &err);
    if (!id) {
      log_.error(std::string("cannot export advertisement object: ") + err->message);
      g_error_free(err);
      return;
    }
    exported_[frame] = id;
  }

  static void on_adv_method(GDBusConnection*, const gchar*, const gchar* path, const gchar*, const gchar* method,
                            GVariant*, GDBusMethodInvocation* inv, gpointer self) {
    auto* r = static_cast<BluezRadio*>(self);
    if (std::string(method) == "Release") {
      for (auto it = r->registered_.begin(); it != r->registered_.end(); ++it) {
        if (r->frame_path(*it) == path) {
          r->registered_.erase(it);
          break;
        }
      }
    }
    g_dbus_method_invocation_return_value(inv, nullptr);
  }

  static GVariant* on_adv_property(GDBusConnection*, const gchar*, const gchar* path, const gchar*,
                                   const gchar* name, GError** error, gpointer self) {
    auto* r = static_cast<BluezRadio*>(self);
    const BeaconAdvert* a = nullptr;
    for (const auto& [frame, id] : r->exported_) {
      if (r->frame_path(frame) == path && frame < r->adverts_.size()) a = &r->adverts_[frame];
    }
    if (!a) {
      g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT, "no such advertisement");
      return nullptr;
    }
    const std::string p = name;
    if (p == "Type") return g_variant_new_string("broadcast");
    if (p == "MinInterval" || p == "MaxInterval") return g_variant_new_uint32(static_cast<guint32>(a->interval.count()));
    if (p == "ManufacturerData") {
      GVariantBuilder b;
      g_variant_builder_init(&b, G_VARIANT_TYPE("a{qv}"));
      if (a->manufacturer) g_variant_builder_add(&b, "{qv}", a->manufacturer->first, bytes_variant(a->manufacturer->second));
      return g_variant_builder_end(&b);
    }
    if (p == "ServiceUUIDs") {
      GVariantBuilder b;
      g_variant_builder_init(&b, G_VARIANT_TYPE("as"));
      for (uint16_t u : a->service_uuids) g_variant_builder_add(&b, "s", uuid16_string(u).c_str());
      return g_variant_builder_end(&b);
    }
    if (p == "ServiceData") {
      GVariantBuilder b;
      g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
      if (a->service_data)
        g_variant_builder_add(&b, "{sv}", uuid16_string(a->service_data->first).c_str(), bytes_variant(a->service_data->second));
      return g_variant_builder_end(&b);
    }
    g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "no such property");
    return nullptr;
  }

  void unregister_frame(size_t frame) {
    if (!registered_.erase(frame) || adapter_path_.empty()) return;
    g_dbus_connection_call(conn_, kBluez, adapter_path_.c_str(), kAdvManagerIface, "UnregisterAdvertisement",
                           g_variant_new("(o)", frame_path(frame).c_str()), nullptr, G_DBUS_CALL_FLAGS_NONE, -1,
                           cancel_, on_unregistered, this);
  }

  static void on_unregistered(GObject* src, GAsyncResult* res, gpointer self) {
    (void)finish(src, res, self, "UnregisterAdvertisement");
  }

  struct RegisterCall {
    BluezRadio* radio;
    size_t frame;
  };

  // Registers exactly the frames this rotation step wants (all of them if they fit).
  void sync_registrations() {
    if (adapter_path_.empty() || instances_ <= 0) return;
    const auto wanted_v = frames_for_step(adverts_.size(), static_cast<size_t>(instances_), step_);
    const std::set<size_t> wanted(wanted_v.begin(), wanted_v.end());
    for (auto f : std::set<size_t>(registered_)) {
      if (!wanted.count(f)) unregister_frame(f);
    }
    for (size_t f : wanted) {
      if (registered_.count(f) || !exported_.count(f)) continue;
      registered_.insert(f);
      GVariantBuilder opts;
      g_variant_builder_init(&opts, G_VARIANT_TYPE_VARDICT);
      g_dbus_connection_call(conn_, kBluez, adapter_path_.c_str(), kAdvManagerIface, "RegisterAdvertisement",
                             g_variant_new("(o@a{sv})", frame_path(f).c_str(), g_variant_builder_end(&opts)), nullptr,
                             G_DBUS_CALL_FLAGS_NONE, -1, cancel_, on_registered, new RegisterCall{this, f});
    }
  }

  static void on_registered(GObject* src, GAsyncResult* res, gpointer data) {
    std::unique_ptr<RegisterCall> call(static_cast<RegisterCall*>(data));
    GError* err = nullptr;
    GVariant* reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(src), res, &err);
    if (reply) {
      g_variant_unref(reply);
      return;
    }
    const bool cancelled = g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    if (!cancelled) {
      call->radio->log_.warn(std::string("RegisterAdvertisement failed: ") + err->message);
      call->radio->registered_.erase(call->frame);
    }
    g_error_free(err);
  }

  GDBusConnection* conn_;
  const Clock& clock_;
  AddressHasher& hasher_;
  Logger log_;
  BluezOptions options_;
  GCancellable* cancel_;
  GDBusNodeInfo* node_ = nullptr;
  guint sub_added_ = 0, sub_removed_ = 0, sub_props_ = 0, watch_ = 0;

  bool bluez_up_ = false;
  bool seen_bluez_ = false;
  int restarts_ = 0;
  std::string adapter_path_;
  std::string adapter_address_;

  bool want_scan_ = false;
  bool discovering_ = false;
  int rssi_floor_ = -100;
  SightingFn on_sighting_;
  std::unordered_map<std::string, DeviceCache> devices_;
  uint64_t sightings_ = 0;

  std::vector<BeaconAdvert> adverts_;
  std::map<size_t, guint> exported_;  // frame -> registration id
  std::set<size_t> registered_;       // frames registered with BlueZ (or being registered)
  int instances_ = 0;
  uint64_t step_ = 0;
  TimePoint next_rotation_ = TimePoint::min();
};

}  // namespace

Result<std::unique_ptr<BleRadio>> make_bluez_radio(const Clock& clock, AddressHasher& hasher, Logger log,
                                                   BluezOptions options) {
  GError* err = nullptr;
  gchar* address = g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SYSTEM, nullptr, &err);
  if (!address) {
    Error e = make_error(std::string("system bus: ") + err->message);
    g_error_free(err);
    return e;
  }
  // A private connection: it honours DBUS_SYSTEM_BUS_ADDRESS and is closed with the radio.
  GDBusConnection* conn = g_dbus_connection_new_for_address_sync(
      address,
      static_cast<GDBusConnectionFlags>(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
      nullptr, nullptr, &err);
  g_free(address);
  if (!conn) {
    Error e = make_error(std::string("cannot connect to the system bus: ") + err->message);
    g_error_free(err);
    return e;
  }
  g_dbus_connection_set_exit_on_close(conn, FALSE);
  return std::unique_ptr<BleRadio>(new BluezRadio(conn, clock, hasher, std::move(log), std::move(options)));
}

}  // namespace branchcast::ble
