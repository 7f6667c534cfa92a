// What a valid configuration reload can change while the screens play (issue 13: a reload
// applied without restarting the screens, docs/config.md "Reloading").
//
// Applied in place (Appliance::on_config_changed): every screen's playlist (items, rules, the
// playlist file it is read from), its power schedule's times, its audience, and the branch's
// opening hours, closures, special hours and closures feed. The item on screen plays on; the next
// one comes from the new configuration.
//
// Everything else restarts the screens (the appliance runs again with the validated settings):
// the set of screens or their outputs, sizes and rotations, a screen gaining or losing `power:`, a
// playlist's transition, content_root (a content version swap: card pictures and the content
// lease are bound to it), the branch's id, name, timezone or language, feeds, beacon, presence,
// notifications (and the patrons file), telemetry and the health endpoint. Pure; any thread.
#pragma once

#include <string>

#include "config/settings.h"

namespace branchcast {

// Why the change from `playing` to `next` needs the screens restarted ("" = it can be applied in
// place). The patrons file's contents are not compared here (the caller does).
std::string restart_reason(const ApplianceSettings& playing, const ApplianceSettings& next);

}  // namespace branchcast
