// Building a screen's ScheduleInputs from the loaded appliance settings.
#pragma once

#include <string>

#include "common/result.h"
#include "config/settings.h"
#include "scheduler/scheduler.h"

namespace branchcast {

// Fails when the screen id is unknown (the message lists the known ones) or the zone is invalid.
// media_length is left empty: the caller plugs in a prober if it has one.
Result<ScheduleInputs> schedule_inputs_for_screen(const ApplianceSettings& settings,
                                                  const std::string& screen_id);

}  // namespace branchcast
