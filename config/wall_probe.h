// The port `validate` uses to catch what would fail on the wall (issue 17 item 5): what a media
// file really is (probed with GStreamer's discoverer by media/gst_media_probe) and which
// characters the card fonts can draw (media/sdl_font_chain). The checks over it are pure
// (config/validate_wall.h); tests use a fake. Only our own value types cross it.
#pragma once

#include <string>

namespace branchcast {

struct MediaFacts {
  enum class Kind {
    kVideo,        // moving picture (width, height, fps set)
    kImage,        // still picture (width, height set)
    kAudioOnly,    // decodable, but no picture
    kNotMedia,     // no known format: `what` says what the bytes look like ("text", "data")
    kUndecodable,  // a known format the installed GStreamer plugins cannot decode: `what` names it
    kUnreadable,   // cannot be opened or probing failed: `what` says why
  };
  Kind kind = Kind::kUnreadable;
  int width = 0;
  int height = 0;
  double fps = 0;      // frames a second (0: unknown)
  std::string format;  // "PNG image", "VP8 video", ...: for messages, may be ""
  std::string what;
};

class WallProbe {
 public:
  virtual ~WallProbe() = default;
  // What the file at absolute `path` is. Never throws; called once per distinct file.
  virtual MediaFacts probe_media(const std::string& path) = 0;
  // True when a card face has a glyph for code point c.
  virtual bool can_draw(char32_t c) = 0;
};

}  // namespace branchcast
