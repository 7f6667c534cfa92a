// GStreamer adapter for `validate`'s media probe (config/wall_probe.h): what a file really is,
// asked of GStreamer's discoverer with the plugins installed on this system, so a text file or a
// PNG named .webm, a codec with no decoder, or a clip too large to decode smoothly is reported
// before it reaches a screen. Blocking (up to 5 s per file); call from one thread at a time.
#pragma once

#include <string>

#include "config/wall_probe.h"

namespace branchcast {

MediaFacts gst_probe_media(const std::string& path);

}  // namespace branchcast
