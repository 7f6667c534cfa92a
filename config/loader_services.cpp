// appliance.yaml's beacon, presence, notifications, telemetry and health sections.
#include "common/strings.h"
#include "config/loader_internal.h"
#include "config/loader_paths.h"
#include "config/loader_values.h"

namespace branchcast {
namespace {

// BLE advertising intervals allowed by the Bluetooth Core specification.
constexpr Duration kMinAdvertisingInterval{20};
constexpr Duration kMaxAdvertisingInterval{10'240};

void parse_ibeacon(Reader& r, const YAML::Node& n, IBeaconSettings& b) {
  Fields f(r, n, {"uuid", "major", "minor", "measured_power"}, "ibeacon");
  if (!f.valid()) return;
  if (f.require("uuid")) {
    YAML::Node u = f.get("uuid");
    if (auto v = r.text(u, "uuid")) {
      auto id = parse_uuid(*v);
      if (id) b.uuid = *id;
      else r.error(u, id.error().message);
    }
  }
  if (f.has("major"))
    if (auto v = r.integer(f.get("major"), "major", 0, 65535)) b.major = static_cast<uint16_t>(*v);
  if (f.has("minor"))
    if (auto v = r.integer(f.get("minor"), "minor", 0, 65535)) b.minor = static_cast<uint16_t>(*v);
  if (f.has("measured_power"))
    if (auto v = r.integer(f.get("measured_power"), "measured_power", -127, 0))
      b.measured_power = static_cast<int8_t>(*v);
}

void parse_beacon(Reader& r, const YAML::Node& n, BeaconSettings& b) {
  Fields f(r, n, {"enabled", "ibeacon", "eddystone_url", "eddystone_tlm", "interval"}, "beacon");
  if (!f.valid()) return;
  if (f.has("enabled"))
    if (auto v = r.boolean(f.get("enabled"), "enabled")) b.enabled = *v;
  if (f.has("ibeacon")) {
    IBeaconSettings ib;
    parse_ibeacon(r, f.get("ibeacon"), ib);
    b.ibeacon = ib;
  }
  if (f.has("eddystone_url")) {
    YAML::Node u = f.get("eddystone_url");
    if (auto v = r.text(u, "eddystone_url")) {
      std::string lower = to_lower(*v);
      if (!starts_with(lower, "http://") && !starts_with(lower, "https://"))
        r.error(u, "'eddystone_url' must start with http:// or https://");
      else
        b.eddystone_url = *v;
    }
  }
  if (f.has("eddystone_tlm"))
    if (auto v = r.boolean(f.get("eddystone_tlm"), "eddystone_tlm")) b.eddystone_tlm = *v;
  if (f.has("interval")) {
    YAML::Node i = f.get("interval");
    if (auto v = r.duration(i, "interval", kMinAdvertisingInterval)) {
      if (*v > kMaxAdvertisingInterval) r.error(i, "'interval' must be at most 10240ms (Bluetooth limit)");
      else b.interval = *v;
    }
  }
  if (b.enabled && !f.has("ibeacon") && !f.has("eddystone_url") && !b.eddystone_tlm)
    r.error(f.get("enabled"), "beacon is enabled but has nothing to advertise (give ibeacon or eddystone_url)");
}

void parse_presence(Reader& r, const YAML::Node& n, PresenceSettings& p) {
  Fields f(r, n, {"enabled", "rssi_threshold", "window", "report_every", "min_reported"}, "presence");
  if (!f.valid()) return;
  if (f.has("enabled"))
    if (auto v = r.boolean(f.get("enabled"), "enabled")) p.enabled = *v;
  if (f.has("rssi_threshold"))
    if (auto v = r.integer(f.get("rssi_threshold"), "rssi_threshold", -127, 0)) p.rssi_threshold = static_cast<int>(*v);
  if (f.has("window"))
    if (auto v = r.duration(f.get("window"), "window", Duration(1000))) p.window = *v;
  if (f.has("report_every"))
    if (auto v = r.duration(f.get("report_every"), "report_every", Duration(60'000))) p.report_every = *v;
  // Privacy: a count of 1 would reveal one person's presence, so the floor is 2.
  if (f.has("min_reported"))
    if (auto v = r.integer(f.get("min_reported"), "min_reported", 2, 1000)) p.min_reported = static_cast<int>(*v);
}

std::optional<std::string> notify_url(Reader& r, const YAML::Node& n, const char* name) {
  auto v = r.text(n, name);
  if (!v) return std::nullopt;
  auto ok = check_notify_url(*v, false);
  if (!ok) {
    r.error(n, std::string("'") + name + "': " + ok.error().message);
    return std::nullopt;
  }
  return v;
}

void parse_vapid(Reader& r, const YAML::Node& n, const std::string& base_dir, NotificationSettings& ns) {
  Fields f(r, n, {"private_key", "subject"}, "vapid");
  if (!f.valid()) return;
  VapidSettings v;
  bool ok = true;
  if (f.require("private_key")) {
    YAML::Node k = f.get("private_key");
    // Never quote this value: it may be the key itself.
    if (k.IsScalar() && starts_with(k.Scalar(), "file:") && !file_url_path(k.Scalar()).empty()) {
      std::string ref = file_url_path(k.Scalar());
      auto abs = resolve_referenced_file(base_dir, ref);
      if (abs) v.private_key = "file:" + *abs;
      else r.error(k, "vapid private_key file " + abs.error().message), ok = false;
    } else if (k.IsScalar() && starts_with(trim(k.Scalar()), "-----BEGIN ")) {
      v.private_key = k.Scalar();
    } else {
      r.error(k, "'private_key' must be file:PATH to a PEM P-256 private key, or the PEM text");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (f.require("subject")) {
    YAML::Node s = f.get("subject");
    if (auto t = r.text(s, "subject")) {
      if (starts_with(*t, "mailto:") || starts_with(*t, "https://")) v.subject = *t;
      else r.error(s, "'subject' must be a mailto: or https: URL"), ok = false;
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (ok) ns.vapid = v;
}

void parse_notifications(Reader& r, const YAML::Node& n, const std::string& base_dir, NotificationSettings& ns,
                         ApplianceRefs& refs) {
  Fields f(r, n, {"provider", "nearby_topic", "quiet_hours", "max_per_patron_per_day", "patrons", "vapid",
                  "prompt_ttl"},
           "notifications");
  if (!f.valid()) return;
  if (f.has("provider")) ns.provider = notify_url(r, f.get("provider"), "provider");
  if (f.has("nearby_topic")) ns.nearby_topic = notify_url(r, f.get("nearby_topic"), "nearby_topic");
  if (f.has("quiet_hours")) ns.quiet_hours = r.time_window(f.get("quiet_hours"), "quiet_hours");
  if (f.has("max_per_patron_per_day"))
    if (auto v = r.integer(f.get("max_per_patron_per_day"), "max_per_patron_per_day", 0, 100))
      ns.max_per_patron_per_day = static_cast<int>(*v);
  if (f.has("patrons")) {
    YAML::Node p = f.get("patrons");
    if (auto v = r.text(p, "patrons")) {
      std::string ref = file_url_path(*v);
      if (ref.empty()) {
        r.error(p, "'patrons' must be file:PATH (e.g. file:patrons.yaml)");
      } else if (auto abs = resolve_referenced_file(base_dir, ref)) {
        ns.patrons = "file:" + *abs;
        refs.patrons = ref;
        YAML::Mark m = p.Mark();
        refs.patrons_place = SourcePlace{r.diag().file(), m.line + 1, m.column + 1};
      } else {
        r.error(p, "patrons file " + abs.error().message);
      }
    }
  }
  if (f.has("vapid")) parse_vapid(r, f.get("vapid"), base_dir, ns);
  if (f.has("prompt_ttl"))
    if (auto v = r.duration(f.get("prompt_ttl"), "prompt_ttl", Duration(1000))) ns.prompt_ttl = *v;
}

}  // namespace

void parse_appliance_services(Reader& r, const Fields& top, ApplianceSettings& s, ApplianceRefs& refs) {
  if (top.has("beacon")) parse_beacon(r, top.get("beacon"), s.beacon);
  if (top.has("presence")) parse_presence(r, top.get("presence"), s.presence);
  if (top.has("notifications")) parse_notifications(r, top.get("notifications"), s.base_dir, s.notifications, refs);
  if (top.has("telemetry")) {
    Fields f(r, top.get("telemetry"), {"mqtt"}, "telemetry");
    if (f.valid() && f.has("mqtt")) {
      YAML::Node m = f.get("mqtt");
      if (auto v = r.text(m, "mqtt")) {
        if (starts_with(to_lower(*v), "mqtt://") || starts_with(to_lower(*v), "mqtts://")) s.telemetry.mqtt = *v;
        else r.error(m, "'mqtt' must start with mqtt:// or mqtts://");
      }
    }
  }
  if (top.has("health")) {
    Fields f(r, top.get("health"), {"listen"}, "health");
    if (f.valid() && f.has("listen")) {
      YAML::Node l = f.get("listen");
      if (auto v = r.text(l, "listen")) {
        auto ok = check_listen_address(*v);
        if (ok) s.health.listen = *v;
        else r.error(l, ok.error().message);
      }
    }
  }
}

}  // namespace branchcast
