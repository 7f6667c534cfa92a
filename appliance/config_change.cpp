#include "appliance/config_change.h"

namespace branchcast {

std::string restart_reason(const ApplianceSettings& a, const ApplianceSettings& b) {
  if (a.screens.size() != b.screens.size()) return "the set of screens changed";
  for (size_t i = 0; i < a.screens.size(); ++i) {
    const ScreenSettings &x = a.screens[i], &y = b.screens[i];
    if (x.id != y.id) return "the set of screens changed";
    if (x.output != y.output || x.width != y.width || x.height != y.height || x.rotation != y.rotation)
      return "screen " + x.id + "'s output changed";
    if (x.power.has_value() != y.power.has_value()) return "screen " + x.id + " gained or lost power:";
    auto p = a.playlists.find(x.id), q = b.playlists.find(y.id);
    if ((p == a.playlists.end()) != (q == b.playlists.end()) ||
        (p != a.playlists.end() && !(p->second.transition == q->second.transition)))
      return "screen " + x.id + "'s transition changed";
  }
  if (a.content_root != b.content_root) return "content_root changed (a new content version)";
  if (a.branch.id != b.branch.id || a.branch.name != b.branch.name || a.branch.timezone != b.branch.timezone ||
      a.branch.language != b.branch.language)
    return "the branch's id, name, timezone or language changed";
  if (a.feeds != b.feeds) return "feeds changed";
  if (!(a.beacon == b.beacon)) return "beacon changed";
  if (!(a.presence == b.presence)) return "presence changed";
  if (!(a.notifications == b.notifications)) return "notifications changed";
  if (!(a.telemetry == b.telemetry)) return "telemetry changed";
  if (!(a.health == b.health)) return "health changed";
  return "";
}

}  // namespace branchcast
