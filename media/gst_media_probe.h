// GStreamer adapter for `validate`'s media probe (config/wall_probe.h): what a file really is,
// asked of GStreamer's discoverer with the plugins installed on this system, so a text file or a
// PNG named .webm, a codec with no decoder, or a clip too large to decode smoothly is reported
// before it reaches a screen. Blocking (up to `timeout` per file: `validate` passes
// config/validate_wall.h's media_probe_timeout, 5 s unless BRANCHCAST_MEDIA_PROBE_TIMEOUT says
// otherwise); a file GStreamer has not opened by then is kUnreadable, "GStreamer took more than
// 5 s to open it". Call from one thread at a time.
#pragma once

#include <string>

#include "common/time.h"

#include "config/wall_probe.h"

namespace branchcast {

MediaFacts gst_probe_media(const std::string& path, Duration timeout);

}  // namespace branchcast
